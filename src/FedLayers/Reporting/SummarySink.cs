using System.Text.Json;

namespace FedLayers.Reporting;

/// <summary>summary.json, written when the run completes.</summary>
public sealed class SummarySink(string path) : IRoundSink
{
    public void OnRound(RoundRecord record) { }

    public void OnCompleted(RunSummary summary) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(summary, Json.Indented));
}
