namespace FedLayers.Comparison;

/// <summary>One strategy's runs (one per seed) in the numbers a comparison table shows.</summary>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Seeds">The number of runs (seeds).</param>
/// <param name="FinalAccuracy">Test accuracy after the last round, 0..1.</param>
/// <param name="BestAccuracy">The best test accuracy of any round, 0..1.</param>
/// <param name="Endpoint">The mean test accuracy over the last rounds (<see cref="ComparisonReportOptions.EndpointRounds"/>), 0..1.</param>
/// <param name="RoundsToTarget">rounds until the test accuracy first reached the target, over the seeds that reached it.</param>
/// <param name="ReachedTarget">how many seeds reached the target at all.</param>
/// <param name="UploadBytes">The bytes all clients uploaded over the run.</param>
/// <param name="TrainingFlops">The clients' local training arithmetic over the run.</param>
/// <param name="WallSeconds">The run's summed round time in seconds.</param>
public sealed record StrategyResult(
    string Strategy,
    int Seeds,
    MeanAndSpread FinalAccuracy,
    MeanAndSpread BestAccuracy,
    MeanAndSpread Endpoint,
    MeanAndSpread RoundsToTarget,
    int ReachedTarget,
    MeanAndSpread UploadBytes,
    MeanAndSpread TrainingFlops,
    MeanAndSpread WallSeconds)
{
    /// <summary>The numbers of <paramref name="runs"/>, all of <paramref name="strategy"/>; <paramref name="targetAccuracy"/> is 0..1, and the
    /// endpoint averages the last <paramref name="endpointRounds"/> rounds.</summary>
    public static StrategyResult Of(string strategy, IReadOnlyList<RecordedRun> runs, double targetAccuracy, int endpointRounds)
    {
        var reached = runs.Select(r => r.Rounds.FirstOrDefault(round => round.TestAccuracy >= targetAccuracy)?.Round)
            .OfType<int>().Select(r => (double)r).ToList();
        return new StrategyResult(strategy, runs.Count,
            MeanAndSpread.Of(runs.Select(r => r.Summary.FinalAccuracy).ToList()),
            MeanAndSpread.Of(runs.Select(r => r.Summary.BestAccuracy).ToList()),
            MeanAndSpread.Of(runs.Select(r => r.Endpoint(endpointRounds)).ToList()),
            MeanAndSpread.Of(reached), reached.Count,
            MeanAndSpread.Of(runs.Select(r => (double)r.Summary.TotalUploadBytes).ToList()),
            MeanAndSpread.Of(runs.Select(r => r.Summary.TotalTrainingFlops).ToList()),
            MeanAndSpread.Of(runs.Select(r => r.Summary.TotalSeconds).ToList()));
    }
}
