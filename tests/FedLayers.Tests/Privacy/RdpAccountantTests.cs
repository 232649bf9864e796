using FedLayers.Privacy;

namespace FedLayers.Tests.Privacy;

/// <summary>The accountant against published values and against an independent numerical integration of the Rényi divergence.</summary>
public class RdpAccountantTests
{
    /// <summary>
    /// E over x ~ N(0, sigma^2) of ((1 - q) + q exp((2x - 1) / (2 sigma^2)))^alpha: the alpha-th moment of the likelihood
    /// ratio between the subsampled mechanism's output with and without the participant (sensitivity 1), integrated
    /// with the trapezoid rule over the whole range where the integrand lives (the peak sits near x = alpha).
    /// </summary>
    private static double IntegratedRdp(double q, double sigma, int alpha)
    {
        double from = -15 * sigma, to = alpha + 15 * sigma, step = sigma / 400;
        // in log space: the integrand reaches exp(alpha^2 / (2 sigma^2)), beyond a double for small sigma
        double LogIntegrand(double x)
        {
            double withParticipant = Math.Log(q) + (2 * x - 1) / (2 * sigma * sigma);
            double mixture = q == 1 ? withParticipant : LogAdd(Math.Log(1 - q), withParticipant);
            return -x * x / (2 * sigma * sigma) - Math.Log(sigma * Math.Sqrt(2 * Math.PI)) + alpha * mixture;
        }
        var points = new List<double>();
        for (double x = from; x <= to; x += step) points.Add(LogIntegrand(x) + (x == from || x + step > to ? Math.Log(0.5) : 0));
        double max = points.Max();
        double logSum = max + Math.Log(points.Sum(p => Math.Exp(p - max)));
        return (logSum + Math.Log(step)) / (alpha - 1);
    }

    private static double LogAdd(double a, double b) => Math.Max(a, b) + Math.Log(1 + Math.Exp(Math.Min(a, b) - Math.Max(a, b)));

    [Theory]
    [InlineData(0.01, 1.0)]
    [InlineData(0.1, 1.5)]
    [InlineData(0.05, 0.8)]
    [InlineData(1.0, 2.0)]
    public void TheClosedFormMatchesTheIntegralToFourDigits(double q, double sigma)
    {
        foreach (int alpha in new[] { 2, 5, 10, 20 })
        {
            double closed = SubsampledGaussian.RdpEpsilon(q, sigma, alpha), integrated = IntegratedRdp(q, sigma, alpha);
            Assert.True(Math.Abs(closed - integrated) <= 1e-4 * Math.Abs(integrated), $"q {q}, sigma {sigma}, alpha {alpha}: {closed} against {integrated}");
        }
    }

    [Fact]
    public void WithoutSubsamplingItIsTheGaussianMechanism() =>
        Assert.Equal(10 / (2 * 1.5 * 1.5), SubsampledGaussian.RdpEpsilon(1, 1.5, 10), 12);

    /// <summary>Opacus' documentation of its compute_dp_sgd_privacy script (opacus.ai/api/compute_dp_sgd_privacy.html): sampling rate
    /// 1 %, noise multiplier 1.0, 300 steps, orders 2, 5, 10, 20 and 100, delta 1e-5 satisfy epsilon = 2.39 with the best order 5.</summary>
    [Fact]
    public void OpacusPublishedExample()
    {
        var accountant = new RdpAccountant([2, 5, 10, 20, 100]);
        accountant.Add(0.01, 1.0, steps: 300);
        var (epsilon, order) = accountant.Epsilon(1e-5);
        Assert.Equal(2.39, Math.Round(epsilon, 2));
        Assert.Equal(5, order);
    }

    [Fact]
    public void StepsComposeAndARestoredAccountantContinuesExactly()
    {
        var once = new RdpAccountant();
        once.Add(0.05, 1.1, steps: 40);
        var stepwise = new RdpAccountant();
        for (int step = 0; step < 20; step++) stepwise.Add(0.05, 1.1);
        var resumed = new RdpAccountant();
        resumed.Restore(stepwise.Spent);
        for (int step = 0; step < 20; step++) resumed.Add(0.05, 1.1);
        Assert.Equal(once.Epsilon(1e-5).Epsilon, resumed.Epsilon(1e-5).Epsilon, 10);
        Assert.True(stepwise.Epsilon(1e-5).Epsilon < resumed.Epsilon(1e-5).Epsilon);
    }

    [Fact]
    public void ADeltaOutsideZeroToOneIsRefused() =>
        Assert.Equal("delta", Assert.Throws<ArgumentException>(() => new RdpAccountant().Epsilon(1)).ParamName);
}
