using System.Text.Json;

namespace FedLayers.Reporting;

/// <summary>summary.json, written when the run completes.</summary>
/// <param name="path">the summary.json file, written atomically.</param>
public sealed class SummarySink(string path) : IRoundSink
{
    /// <summary>Nothing: the summary is written once, at the end.</summary>
    public void OnRound(RoundRecord record) { }

    /// <summary>Writes the summary, indented.</summary>
    public void OnCompleted(RunSummary summary) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(summary, Json.Indented));
}
