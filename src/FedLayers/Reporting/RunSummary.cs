namespace FedLayers.Reporting;

/// <summary>The whole run in a few numbers.</summary>
public sealed record RunSummary(
    string Strategy,
    int Rounds,
    double InitialAccuracy,
    double FinalAccuracy,
    double BestAccuracy,
    int BestRound,
    double FinalLoss,
    long TotalUploadBytes,
    double TotalTrainingFlops,
    double TotalSeconds)
{
    public static RunSummary From(string strategy, IReadOnlyList<RoundRecord> records)
    {
        var best = records.MaxBy(r => r.TestAccuracy)!;
        var last = records[^1];
        return new RunSummary(strategy, last.Round, records[0].TestAccuracy, last.TestAccuracy, best.TestAccuracy, best.Round,
            last.TestLoss, records.Sum(r => r.UploadBytes), records.Sum(r => r.TrainingFlops), records.Sum(r => r.Seconds));
    }
}
