using FedLayers.Data;
using FedLayers.Validation;
using static TorchSharp.torch;

namespace FedLayers.Aggregation;

/// <summary>
/// The release of DP-FedAvg for layer-wise updates: a layer's tensor becomes the plain sum of its clients' clipped
/// changes (none is a sum too), plus Gaussian noise of standard deviation <paramref name="NoiseMultiplier"/> x
/// <paramref name="ClipNorm"/> on every coordinate, divided by a denominator that does not depend on the data (the
/// expected number of clients that train the layer in a round). Each client's clipped update has L2 norm at most the clip norm over all
/// the layers it trained together, so adding or removing one client moves the vector of all layer sums by at most
/// the clip norm: the noise makes every round a Gaussian mechanism with that multiplier (docs/PRIVACY.md). The noise
/// is drawn from a generator seeded by the run's seed, the round and the tensor's name: the same run gives the same
/// noise, and a resumed run the noise an uninterrupted one would have drawn.
/// </summary>
/// <param name="NoiseMultiplier">z, the noise's standard deviation over the clip norm, above 0.</param>
/// <param name="ClipNorm">S, the bound every update was clipped to, above 0.</param>
/// <param name="Seed">the run's seed.</param>
public sealed record DpNoise(double NoiseMultiplier, double ClipNorm, int Seed)
{
    /// <summary>z, the noise's standard deviation over the clip norm.</summary>
    public double NoiseMultiplier { get; } = FieldCheck.AboveZero(NoiseMultiplier, nameof(NoiseMultiplier));

    /// <summary>S, the bound every update was clipped to.</summary>
    public double ClipNorm { get; } = FieldCheck.AboveZero(ClipNorm, nameof(ClipNorm));

    /// <summary>The noise's standard deviation on every coordinate of a sum: z x S.</summary>
    public double StandardDeviation => NoiseMultiplier * ClipNorm;

    /// <summary>(sum of <paramref name="deltas"/> + noise) / <paramref name="denominator"/>, a new float64 tensor of <paramref name="like"/>'s shape.</summary>
    /// <param name="like">the global tensor the change is for (its shape and device).</param>
    /// <param name="deltas">the clipped float64 changes of the clients that trained the tensor's layer this round; may be none.</param>
    /// <param name="denominator">what the noisy sum is divided by: data-independent, above 0.</param>
    /// <param name="tensorName">the tensor's name, which seeds its noise with the round.</param>
    /// <param name="round">the round, which seeds the noise with the name.</param>
    public Tensor Release(Tensor like, IReadOnlyList<Tensor> deltas, double denominator, string tensorName, int round)
    {
        FieldCheck.AboveZero(denominator, nameof(denominator));
        using var scope = NewDisposeScope();
        var sum = zeros(like.shape, ScalarType.Float64, like.device);
        foreach (var delta in deltas) sum.add_(delta);
        long noiseSeed = SeededRandom.For(Seed, $"dp-noise {tensorName}", round).NextInt64();
        using var generator = new Generator().manual_seed(noiseSeed);
        var noise = randn(like.shape, ScalarType.Float64, generator: generator).to(like.device);
        return sum.add_(noise, alpha: StandardDeviation).div_(denominator).MoveToOuterDisposeScope();
    }
}
