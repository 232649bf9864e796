using FedLayers.Federation;
using FedLayers.Privacy;
using FedLayers.Selection;

namespace FedLayers.Tests.Privacy;

/// <summary>The private probe: clients' shares of their gradient mass, summed with seeded Gaussian noise of the stated standard
/// deviation, one profile for every client, and no client able to move the sum by more than 1.</summary>
public class PrivateProbeTests
{
    private static LayerProbe Probe(params double[] squaredGradNorms) => new(squaredGradNorms, [1, 1, 1], [1, 1, 1], 5, squaredGradNorms);

    [Fact]
    public void EveryClientGetsTheNoisySumOfTheClientsSharesAndNothingElse()
    {
        var released = new PrivateProbe(1e-9, 7).Release([Probe(1, 1, 2), Probe(0, 30, 10)], round: 3);
        Assert.Equal(2, released.Count);
        foreach (var probe in released)
        {
            // shares: (0.25, 0.25, 0.5) + (0, 0.75, 0.25)
            foreach (var estimator in Enum.GetValues<ProbeEstimator>())
                Assert.Equal([0.25, 1.0, 0.75], probe.GradientMass(estimator).Select(g => Math.Round(g, 6)));
            Assert.All(probe.RelativeGradNorm.Concat(probe.SignalToNoise), value => Assert.True(double.IsNaN(value)));
        }
    }

    [Fact]
    public void TheNoiseHasTheStatedStandardDeviationAndIsSeededByTheRunAndTheRound()
    {
        const double noise = 2.0;
        var probe = new PrivateProbe(noise, 11);
        // a sum far above the noise, so that no draw is cut at 0: 400 rounds x 3 layers of draws around (200, 200, 200)
        var clients = Enumerable.Range(0, 600).Select(_ => Probe(1, 1, 1)).ToList();
        var draws = Enumerable.Range(1, 400).SelectMany(round => probe.Release(clients, round)[0].SquaredGradNorm).Select(g => g - 200).ToList();
        double mean = draws.Average(), sd = Math.Sqrt(draws.Sum(d => (d - mean) * (d - mean)) / (draws.Count - 1));
        // 1,200 draws: the mean's standard error is 0.058, the standard deviation's about 0.041
        Assert.InRange(mean, -0.25, 0.25);
        Assert.InRange(sd, noise * 0.92, noise * 1.08);
        Assert.Equal(probe.Release(clients, 5)[0].SquaredGradNorm, new PrivateProbe(noise, 11).Release(clients, 5)[0].SquaredGradNorm);
        Assert.NotEqual(probe.Release(clients, 5)[0].SquaredGradNorm, probe.Release(clients, 6)[0].SquaredGradNorm);
        Assert.NotEqual(probe.Release(clients, 5)[0].SquaredGradNorm, new PrivateProbe(noise, 12).Release(clients, 5)[0].SquaredGradNorm);
    }

    [Theory]
    [InlineData(1e300, 1e300, 1e300)]
    [InlineData(double.NaN, 1, 1)]
    [InlineData(double.PositiveInfinity, 0, 0)]
    [InlineData(-5, 1, 1)]
    [InlineData(0, 0, 0)]
    public void AClientMovesTheSumByAtMostOneWhateverItSends(double first, double second, double third)
    {
        var honest = new[] { Probe(1, 2, 3), Probe(3, 2, 1) };
        var probe = new PrivateProbe(1e-9, 7);
        var without = probe.Release(honest, 1)[0].SquaredGradNorm;
        var with = probe.Release([.. honest, Probe(first, second, third)], 1)[0].SquaredGradNorm;
        double moved = Math.Sqrt(with.Zip(without, (a, b) => (a - b) * (a - b)).Sum());
        Assert.InRange(moved, 0, 1 + 1e-6);
        Assert.All(with, g => Assert.True(double.IsFinite(g) && g >= 0));
    }

    [Fact]
    public void ANonPositiveMultiplierIsRefused() =>
        Assert.Equal("NoiseMultiplier", Assert.Throws<ArgumentException>(() => new PrivateProbe(0, 1)).ParamName);

    [Fact]
    public void ARoundThatProbesIsOneGaussianMechanismOfTheComposedNoiseMultiplier()
    {
        var accounting = new PrivacyAccounting(0.05, 1.0, 1e-5, null, ProbeNoiseMultiplier: 2.0);
        // 1 / z_round^2 = 1 / 1 + 1 / 4
        Assert.Equal(1 / Math.Sqrt(1.25), accounting.RoundNoiseMultiplier(probed: true), 12);
        Assert.Equal(1.0, accounting.RoundNoiseMultiplier(probed: false));
        Assert.Equal(1.0, (accounting with { ProbeNoiseMultiplier = null }).RoundNoiseMultiplier(probed: true));

        var expected = new RdpAccountant();
        expected.Add(0.05, 1 / Math.Sqrt(1.25), 2);
        expected.Add(0.05, 1.0, 3);
        Assert.Equal(expected.Epsilon(1e-5).Epsilon, accounting.EpsilonAfter([true, false, false, true, false]), 12);
        Assert.True(accounting.EpsilonAfter([true, true]) > accounting.EpsilonAfter([false, false]));
    }
}
