namespace FedLayers.Reporting;

/// <summary>Receives the progress and results of a run (files, console, plots).</summary>
public interface IRoundSink
{
    /// <summary>Local training of one of the round's clients finished.</summary>
    void OnClientFinished(int round, int finished, int total) { }

    void OnRound(RoundRecord record);

    void OnCompleted(RunSummary summary) { }
}
