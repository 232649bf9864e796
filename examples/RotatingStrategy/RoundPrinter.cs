using FedLayers.Reporting;

namespace FedLayers.Examples.RotatingStrategy;

/// <summary>A metric sink of your own: one line per round on the console.</summary>
public sealed class RoundPrinter : IRoundSink
{
    public void OnRound(RoundRecord record) => Console.WriteLine(
        $"round {record.Round}: accuracy {(record.Evaluated ? record.TestAccuracy!.Value.ToString("P1") : "not evaluated")}, layers trained {string.Join(" | ", record.Clients.Select(c => string.Join(",", c.Groups)))}");
}
