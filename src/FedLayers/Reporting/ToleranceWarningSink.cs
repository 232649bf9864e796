namespace FedLayers.Reporting;

/// <summary>
/// Tells the user, once per run, that a robust aggregator protected nothing on some layer: with layer-wise
/// training a layer may have only one or two clients in a round, where a median or a trimmed mean equals
/// the mean.
/// </summary>
/// <param name="aggregator">the aggregator's name, for the message.</param>
/// <param name="warn">where the warning goes.</param>
public sealed class ToleranceWarningSink(string aggregator, Action<string> warn) : IRoundSink
{
    private bool warned;

    /// <summary>Warns at the first round whose least-trained layer tolerates no bad client.</summary>
    public void OnRound(RoundRecord record)
    {
        if (warned || record.ToleratedBadClients is not 0) return;
        warned = true;
        warn($"round {record.Round}: a layer was trained by {record.FewestLayerClients} client(s), too few for the {aggregator} aggregator " +
             "to tolerate even one bad client there (more clients per round, or a strategy that puts clients on the same layers, help)");
    }
}
