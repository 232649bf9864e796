using static TorchSharp.torch;

namespace FedLayers.Aggregation;

/// <summary>
/// Coordinate-wise trimmed mean (as FedTrimmedAvg): per coordinate, the largest and the smallest
/// floor(<paramref name="trimFraction"/> x contributors) values are dropped and the rest averaged, every
/// client counting once (weights would let one client outweigh the trimming).
/// </summary>
/// <param name="trimFraction">the share dropped at each end, in [0, 0.5): at most fewer than half, so a client is always left.</param>
public sealed class TrimmedMeanAggregator(double trimFraction) : ILayerAggregator
{
    /// <summary>The share dropped at each end.</summary>
    public double TrimFraction { get; } = trimFraction is >= 0 and < 0.5
        ? trimFraction
        : throw new ArgumentException($"must be in [0, 0.5), got {trimFraction}", nameof(trimFraction));

    /// <inheritdoc/>
    public Tensor Combine(IReadOnlyList<Tensor> deltas, IReadOnlyList<double> shares)
    {
        using var scope = NewDisposeScope();
        int trimmed = ToleratedBadClients(deltas.Count);
        var sorted = stack(deltas).to_type(ScalarType.Float64).sort(0).Values;
        return sorted.narrow(0, trimmed, deltas.Count - 2 * trimmed).mean([0]).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public int ToleratedBadClients(int contributors) => (int)Math.Floor(TrimFraction * contributors);
}
