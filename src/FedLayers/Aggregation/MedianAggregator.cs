using static TorchSharp.torch;

namespace FedLayers.Aggregation;

/// <summary>
/// Coordinate-wise median (as FedMedian): per coordinate, the middle value of the clients' changes (the
/// mean of the two middle ones for an even count), every client counting once. With 1 or 2 contributors
/// it is their mean and protects nothing.
/// </summary>
public sealed class MedianAggregator : ILayerAggregator
{
    /// <inheritdoc/>
    public Tensor Combine(IReadOnlyList<Tensor> deltas, IReadOnlyList<double> shares)
    {
        using var scope = NewDisposeScope();
        int count = deltas.Count;
        var sorted = stack(deltas).to_type(ScalarType.Float64).sort(0).Values;
        var middle = count % 2 == 1 ? sorted[count / 2] : sorted.narrow(0, count / 2 - 1, 2).mean([0]);
        return middle.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public int ToleratedBadClients(int contributors) => (contributors - 1) / 2;
}
