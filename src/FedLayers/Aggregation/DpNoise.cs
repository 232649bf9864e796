using FedLayers.Data;
using static TorchSharp.torch;

namespace FedLayers.Aggregation;

/// <summary>
/// The release of DP-FedAvg for layer-wise updates: a layer's tensor becomes the plain sum of its clients' clipped
/// changes, plus Gaussian noise of standard deviation <paramref name="NoiseMultiplier"/> x <paramref name="ClipNorm"/>
/// on every coordinate, divided by <paramref name="Denominator"/>, a number that does not depend on the data (the
/// expected number of clients in a round). Each client's clipped update has L2 norm at most the clip norm over all
/// the layers it trained together, so adding or removing one client moves the vector of all layer sums by at most
/// the clip norm: the noise makes every round a Gaussian mechanism with that multiplier (docs/PRIVACY.md). The noise
/// is drawn from a generator seeded by the run's seed, the round and the tensor's name: the same run gives the same
/// noise, and a resumed run the noise an uninterrupted one would have drawn.
/// </summary>
/// <param name="NoiseMultiplier">z, the noise's standard deviation over the clip norm, above 0.</param>
/// <param name="ClipNorm">S, the bound every update was clipped to, above 0.</param>
/// <param name="Denominator">what the noisy sum is divided by, above 0.</param>
/// <param name="Seed">the run's seed.</param>
public sealed record DpNoise(double NoiseMultiplier, double ClipNorm, double Denominator, int Seed)
{
    /// <summary>z, the noise's standard deviation over the clip norm.</summary>
    public double NoiseMultiplier { get; } = NoiseMultiplier > 0 && double.IsFinite(NoiseMultiplier)
        ? NoiseMultiplier : throw new ArgumentException($"must be a finite number above 0, got {NoiseMultiplier}", nameof(NoiseMultiplier));

    /// <summary>S, the bound every update was clipped to.</summary>
    public double ClipNorm { get; } = ClipNorm > 0 && double.IsFinite(ClipNorm)
        ? ClipNorm : throw new ArgumentException($"must be a finite number above 0, got {ClipNorm}", nameof(ClipNorm));

    /// <summary>What the noisy sum is divided by.</summary>
    public double Denominator { get; } = Denominator > 0 && double.IsFinite(Denominator)
        ? Denominator : throw new ArgumentException($"must be a finite number above 0, got {Denominator}", nameof(Denominator));

    /// <summary>The noise's standard deviation on every coordinate of a sum: z x S.</summary>
    public double StandardDeviation => NoiseMultiplier * ClipNorm;

    /// <summary>(sum of <paramref name="deltas"/> + noise) / denominator, a new float64 tensor.</summary>
    /// <param name="deltas">the clipped float64 changes of the clients that trained the tensor's layer, at least one.</param>
    /// <param name="tensorName">the tensor's name, which seeds its noise with the round.</param>
    /// <param name="round">the round, which seeds the noise with the name.</param>
    public Tensor Release(IReadOnlyList<Tensor> deltas, string tensorName, int round)
    {
        using var scope = NewDisposeScope();
        var sum = zeros(deltas[0].shape, ScalarType.Float64, deltas[0].device);
        foreach (var delta in deltas) sum.add_(delta);
        long noiseSeed = SeededRandom.For(Seed, $"dp-noise {tensorName}", round).NextInt64();
        using var generator = new Generator().manual_seed(noiseSeed);
        var noise = randn(deltas[0].shape, ScalarType.Float64, generator: generator).to(deltas[0].device);
        return sum.add_(noise, alpha: StandardDeviation).div_(Denominator).MoveToOuterDisposeScope();
    }
}
