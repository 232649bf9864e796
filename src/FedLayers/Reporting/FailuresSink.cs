namespace FedLayers.Reporting;

/// <summary>failures.jsonl: every client left out of a round and why, and every failed attempt at a round
/// (retried with a new sample). Created only when something failed.</summary>
/// <param name="path">the failures.jsonl file, appended to.</param>
public sealed class FailuresSink(string path) : IRoundSink
{
    private readonly JsonLinesWriter writer = new(path);

    /// <summary>Appends the round's left-out clients, if it has any.</summary>
    public void OnRound(RoundRecord r)
    {
        if (r.Failures is not { Count: > 0 } failures) return;
        writer.Append(new { round = r.Round, status = "completed", failed_clients = Describe(failures) });
    }

    /// <summary>Appends the failed attempt, its reason and its left-out clients.</summary>
    public void OnRoundFailed(int round, int attempt, string reason, IReadOnlyList<ClientFailure> failures) =>
        writer.Append(new { round, attempt, status = "failed", reason, failed_clients = Describe(failures) });

    private static IEnumerable<object> Describe(IReadOnlyList<ClientFailure> failures) =>
        failures.Select(f => new { client = f.ClientId, reason = f.Reason });
}
