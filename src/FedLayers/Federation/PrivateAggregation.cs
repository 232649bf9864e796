using FedLayers.Aggregation;

namespace FedLayers.Federation;

/// <summary>
/// Client-level differential privacy of a run's aggregation (DP-FedAvg for layer-wise updates): every round, every
/// group some client can be assigned gets its noisy sum (<see cref="DpNoise"/>), whether or not a sampled client trained
/// it this round, so that a round's output has the same form whoever was sampled; a group no client can ever train
/// gets no noise and never changes.
/// </summary>
/// <param name="Noise">the noise and the clip norm it is scaled to.</param>
/// <param name="Denominators">per group that can be trained, what its noisy sum is divided by: the expected number of
/// its clients in a round (sampling rate x the clients whose assignment can include it), which does not depend on the data.</param>
public sealed record PrivateAggregation(DpNoise Noise, IReadOnlyDictionary<string, double> Denominators);
