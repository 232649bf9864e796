namespace FedLayers.Federation;

/// <summary>A round failed as often as <see cref="ServerOptions.RoundAttempts"/> allows; the run stops.
/// The last completed round is checkpointed, so the run can be resumed.</summary>
public sealed class RoundFailedException(int round, int attempts, string lastReason)
    : Exception($"round {round} failed {attempts} times (last: {lastReason}); the run stopped after round {round - 1}");
