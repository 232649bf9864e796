using FedLayers.Validation;
namespace FedLayers.Privacy;

/// <summary>
/// Rényi differential privacy of one release of the Poisson-subsampled Gaussian mechanism: each participant is
/// included independently with probability q, a sum of contributions of L2 norm at most 1 gets Gaussian noise of
/// standard deviation sigma on every coordinate (sigma is the noise multiplier: noise over sensitivity). For an
/// integer order alpha the divergence has a closed form (Mironov, Talwar and Zhang, "Rényi Differential Privacy of
/// the Sampled Gaussian Mechanism", 2019, section 3.3):
/// A_alpha = sum over k = 0..alpha of C(alpha, k) (1 - q)^(alpha - k) q^k exp((k^2 - k) / (2 sigma^2)),
/// and the mechanism is (alpha, log(A_alpha) / (alpha - 1))-RDP. Summed in log space, so large orders do not overflow.
/// </summary>
public static class SubsampledGaussian
{
    /// <summary>The RDP epsilon at <paramref name="order"/> of one release.</summary>
    /// <param name="samplingRate">q, the probability that a given participant takes part, in [0, 1].</param>
    /// <param name="noiseMultiplier">sigma, the noise's standard deviation over the sensitivity, above 0.</param>
    /// <param name="order">alpha, an integer of at least 2.</param>
    public static double RdpEpsilon(double samplingRate, double noiseMultiplier, int order)
    {
        FieldCheck.InRange(samplingRate, 0, 1, nameof(samplingRate));
        FieldCheck.AboveZero(noiseMultiplier, nameof(noiseMultiplier));
        if (order < 2) throw new ArgumentException($"must be at least 2, got {order}", nameof(order));
        if (samplingRate == 0) return 0;
        double variance2 = 2 * noiseMultiplier * noiseMultiplier;
        if (samplingRate == 1) return order / variance2; // the Gaussian mechanism itself
        double logQ = Math.Log(samplingRate), logNotQ = Math.Log(1 - samplingRate);
        var terms = Enumerable.Range(0, order + 1)
            .Select(k => LogBinomial(order, k) + k * logQ + (order - k) * logNotQ + ((double)k * k - k) / variance2).ToArray();
        return LogSumExp(terms) / (order - 1);
    }

    private static double LogBinomial(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (int i = 2; i <= n; i++) sum += Math.Log(i);
        return sum;
    }

    private static double LogSumExp(double[] values)
    {
        double max = values.Max();
        return max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }
}
