namespace FedLayers.Reporting;

/// <summary>Receives the progress and results of a run (files, console, plots).</summary>
public interface IRoundSink
{
    /// <summary>Local training of one of the round's clients finished.</summary>
    void OnClientFinished(int round, int finished, int total) { }

    /// <summary>A round completed (round 0: the starting weights were evaluated); called once per round, in order.</summary>
    void OnRound(RoundRecord record);

    /// <summary>An attempt at a round failed (fewer than the minimum of clients succeeded); the round is tried again.</summary>
    void OnRoundFailed(int round, int attempt, string reason, IReadOnlyList<ClientFailure> failures) { }

    /// <summary>The run stops before round <paramref name="round"/>, cleanly, for <paramref name="reason"/> (a privacy budget spent);
    /// <see cref="OnCompleted"/> follows.</summary>
    void OnStoppedEarly(int round, string reason) { }

    /// <summary>The run ended: after all its rounds, or earlier after <see cref="OnStoppedEarly"/>; not called when it fails.</summary>
    void OnCompleted(RunSummary summary) { }
}
