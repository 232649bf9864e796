using FedLayers.Reporting;

namespace FedLayers.Bench;

/// <summary>Keeps every round's record of a run in memory, for a benchmark's tables.</summary>
public sealed class RoundCollector : IRoundSink
{
    private readonly List<RoundRecord> rounds = [];

    /// <summary>The rounds so far, round 0 first.</summary>
    public IReadOnlyList<RoundRecord> Rounds => rounds;

    /// <inheritdoc/>
    public void OnRound(RoundRecord record) => rounds.Add(record);
}
