using FedLayers.Reporting;

namespace FedLayers.Federation;

/// <summary>
/// Where the round loop stands after a completed round: everything beyond the global weights
/// that the next round depends on. Every random stream is keyed by seed, round and client, so
/// no generator state needs keeping; this is what a checkpoint saves besides the weights.
/// </summary>
/// <param name="Round">the last completed round (0: only the starting weights were evaluated).</param>
/// <param name="PreviousMasks">the last mask each client was given, by client id.</param>
/// <param name="LastSelection">the masks of the last round the strategy chose (reused until the next selection round).</param>
/// <param name="Records">every round's record so far, round 0 first.</param>
public sealed record ServerProgress(
    int Round,
    IReadOnlyDictionary<int, bool[]> PreviousMasks,
    IReadOnlyList<bool[]> LastSelection,
    IReadOnlyList<RoundRecord> Records);
