namespace FedLayers.Reporting;

/// <summary>The whole run in a few numbers.</summary>
/// <param name="Strategy">The selection strategy's name.</param>
/// <param name="Rounds">The last round run.</param>
/// <param name="InitialAccuracy">Test accuracy of the starting weights (round 0), 0..1.</param>
/// <param name="FinalAccuracy">Test accuracy after the last round (the last evaluated one, which is the last round unless the run
/// was cut short).</param>
/// <param name="BestAccuracy">The highest test accuracy of any evaluated round, round 0 included.</param>
/// <param name="BestRound">The first round that reached <paramref name="BestAccuracy"/>.</param>
/// <param name="FinalLoss">Test loss after the last round (the last evaluated one).</param>
/// <param name="TotalUploadBytes">The bytes of all the clients' updates, over all rounds.</param>
/// <param name="TotalTrainingFlops">The clients' local training arithmetic over all rounds.</param>
/// <param name="TotalSeconds">The rounds' summed wall-clock time.</param>
/// <param name="DpEpsilon">The client-level differential privacy epsilon the run spent; null without privacy.</param>
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
    double TotalSeconds,
    double? DpEpsilon = null)
{
    /// <summary>The summary of <paramref name="records"/>, round 0 first (always evaluated), at least one; accuracies and loss are
    /// those of the evaluated rounds.</summary>
    public static RunSummary From(string strategy, IReadOnlyList<RoundRecord> records)
    {
        var evaluated = records.Where(r => r.Evaluated).ToList();
        var best = evaluated.MaxBy(r => r.TestAccuracy)!;
        var (last, lastEvaluated) = (records[^1], evaluated[^1]);
        return new RunSummary(strategy, last.Round, records[0].TestAccuracy!.Value, lastEvaluated.TestAccuracy!.Value, best.TestAccuracy!.Value,
            best.Round, lastEvaluated.TestLoss!.Value, records.Sum(r => r.UploadBytes), records.Sum(r => r.TrainingFlops),
            records.Sum(r => r.Seconds), last.Epsilon);
    }
}
