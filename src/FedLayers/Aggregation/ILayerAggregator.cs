using static TorchSharp.torch;

namespace FedLayers.Aggregation;

/// <summary>
/// How the changes of one tensor, sent by the clients that trained its layer in a round, become the one
/// change the global tensor takes. Layer-wise: each tensor is combined over its own contributors only,
/// which may be a single client. Derive from it (and register it) to bring another rule.
/// </summary>
public interface ILayerAggregator
{
    /// <summary>The combined change, a new float64 tensor of the deltas' shape, computed in float64.</summary>
    /// <param name="deltas">one change per contributing client, all of one shape, in the global tensor's type as the client sent it
    /// (float32 for float32 weights); not disposed here. Widen them to float64 before any arithmetic, one at a time where the
    /// rule allows: a round's widened copies of a large layer cost more than the combining.</param>
    /// <param name="shares">each client's weight, summing to 1 (<see cref="ClientWeighting"/>); robust rules may ignore it.</param>
    Tensor Combine(IReadOnlyList<Tensor> deltas, IReadOnlyList<double> shares);

    /// <summary>How many of <paramref name="contributors"/> clients may send anything at all while the result stays
    /// within the range of the others' values: 0 for a mean, which one client can move anywhere.</summary>
    int ToleratedBadClients(int contributors);
}
