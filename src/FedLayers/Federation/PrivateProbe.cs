using FedLayers.Data;
using FedLayers.Selection;
using FedLayers.Validation;

namespace FedLayers.Federation;

/// <summary>
/// The gradient probe as a private release, for strategic selection under client-level differential privacy. Each
/// sampled client's gradient mass per layer (g_il as <paramref name="Estimator"/> makes it) becomes its shares of its own
/// gradient mass (g_il / sum_l g_il, so the vector
/// has L1 norm 1 and hence L2 norm at most 1: no clip norm to choose); the server adds the shares of the sampled clients
/// and Gaussian noise of standard deviation <paramref name="NoiseMultiplier"/> on every layer, and every client is then
/// given that one noisy population profile (negative entries set to 0). Adding or removing a client moves the sum by at
/// most 1, so the release is a Gaussian mechanism the accountant counts (<see cref="PrivacyAccounting"/>). A client's own
/// statistics are never used on their own: a per-client release would need noise larger than the statistic itself.
/// </summary>
/// <param name="NoiseMultiplier">z_probe, the noise's standard deviation on each layer's sum of shares, above 0.</param>
/// <param name="Seed">the run's seed, which seeds the noise with the round.</param>
/// <param name="Estimator">how g_il is made from a client's probe before it becomes shares.</param>
public sealed record PrivateProbe(double NoiseMultiplier, int Seed, ProbeEstimator Estimator = ProbeEstimator.Mean)
{
    /// <summary>z_probe, the noise's standard deviation on each layer's sum of shares.</summary>
    public double NoiseMultiplier { get; } = FieldCheck.AboveZero(NoiseMultiplier, nameof(NoiseMultiplier));

    /// <summary>The released probes of <paramref name="round"/>: one per client of <paramref name="probes"/>, all carrying the noisy
    /// population profile as their gradient mass under every estimator (as the summed and the mean squared norm of one batch);
    /// the other statistics are not released (NaN).</summary>
    /// <param name="probes">the sampled clients' own probes, each over the same selectable layers.</param>
    /// <param name="round">the round, which seeds the noise.</param>
    public IReadOnlyList<LayerProbe> Release(IReadOnlyList<LayerProbe> probes, int round)
    {
        if (probes.Count == 0) return [];
        int layers = probes[0].GradientMass(Estimator).Length;
        var sum = new double[layers];
        foreach (var probe in probes)
        {
            var mass = probe.GradientMass(Estimator);
            if (mass.Length != layers) throw new ArgumentException($"a probe has {mass.Length} layers, expected {layers}", nameof(probes));
            var share = Shares(mass);
            for (int l = 0; l < layers; l++) sum[l] += share[l];
        }
        var noise = SeededRandom.For(Seed, "dp-probe-noise", round);
        var released = sum.Select(s => Math.Max(0, s + NoiseMultiplier * noise.NextNormal())).ToArray();
        var notReleased = Enumerable.Repeat(double.NaN, layers).ToArray();
        return [.. probes.Select(_ => new LayerProbe([.. released], [.. notReleased], [.. notReleased], Batches: 1, [.. released]))];
    }

    /// <summary>A client's shares of its gradient mass; all zero when it has none or sent values that are not finite
    /// non-negative numbers, so that no client can move the sum by more than 1.</summary>
    private static double[] Shares(double[] squaredGradNorms)
    {
        double total = squaredGradNorms.Sum();
        bool usable = squaredGradNorms.All(g => g >= 0 && double.IsFinite(g)) && total > 0 && double.IsFinite(total);
        return [.. squaredGradNorms.Select(g => usable ? g / total : 0)];
    }
}
