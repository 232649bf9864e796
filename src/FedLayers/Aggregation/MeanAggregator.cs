using static TorchSharp.torch;

namespace FedLayers.Aggregation;

/// <summary>The weighted mean of the clients' changes (FedAvg, PAPER.md step 5). One client can move it anywhere.</summary>
public sealed class MeanAggregator : ILayerAggregator
{
    /// <inheritdoc/>
    public Tensor Combine(IReadOnlyList<Tensor> deltas, IReadOnlyList<double> shares)
    {
        var sum = zeros(deltas[0].shape, ScalarType.Float64, deltas[0].device);
        for (int i = 0; i < deltas.Count; i++)
        {
            using var wide = deltas[i].to_type(ScalarType.Float64);
            sum.add_(wide, alpha: shares[i]);
        }
        return sum;
    }

    /// <inheritdoc/>
    public int ToleratedBadClients(int contributors) => 0;
}
