namespace FedLayers.Federation;

/// <summary>
/// The standard normal's upper tail Q(z) = P(Z &gt; z), as its logarithm so that it does not underflow far out
/// (Q(40) is about 4e-350, below the smallest double).
/// </summary>
internal static class StandardNormal
{
    /// <summary>ln Q(z) for every finite z, with Q's relative error below 1.2e-7: the Chebyshev fit of erfc in Numerical
    /// Recipes (Press et al., 2nd ed., §6.2, erfcc). Its form t·exp(-x² + poly(t)) gives the logarithm directly.</summary>
    public static double LogUpperTail(double z)
    {
        // Q(z) = 1 - Q(-z) lies in (0.5, 1) here, so the subtraction loses nothing
        if (z < 0) return Math.Log(1 - Math.Exp(LogUpperTail(-z)));
        double x = z / Math.Sqrt(2), t = 1 / (1 + 0.5 * x);
        double poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        return Math.Log(t) - x * x + poly - Math.Log(2);
    }
}
