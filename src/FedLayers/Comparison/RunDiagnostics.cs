namespace FedLayers.Comparison;

/// <summary>
/// What explains one run's endpoint: the theory's two selection terms averaged over its rounds, how much of the clients'
/// budgets its masks left unused, how many distinct layers a round trained, whether accuracy was still climbing at the
/// end, and how far its masks agree with strategic's on the same seed (same clients, same rounds).
/// </summary>
/// <param name="Arm">the run's arm.</param>
/// <param name="Seed">the run's seed.</param>
/// <param name="Endpoint">the mean test accuracy over the endpoint's rounds, 0..1.</param>
/// <param name="UnselectedGradientShare">the mean over rounds of the gradient mass not trained; null when no round probed.</param>
/// <param name="Disagreement">the mean over rounds of the normalised disagreement; null when no round probed.</param>
/// <param name="UnusedBudget">the mean over trained clients and rounds of the share of a client's budget its mask left unused
/// (0: every budget spent; full, which ignores budgets, counts as 0).</param>
/// <param name="LayersPerRound">the mean over rounds with trained clients of the number of distinct selectable groups any
/// of the round's clients trained: with small budgets, how much of the global model a round moves, which agreement lowers.</param>
/// <param name="EndpointSlope">the least-squares slope of test accuracy over the endpoint's evaluated rounds, in accuracy (0..1) per
/// round; near 0 when accuracy has levelled off; null with fewer than two of them.</param>
/// <param name="StrategicOverlap">the mean over the clients both runs trained in a round of the Jaccard index of their selectable
/// groups (both empty: 1); null for the strategic arm itself or without one.</param>
public sealed record RunDiagnostics(string Arm, int Seed, double Endpoint, double? UnselectedGradientShare, double? Disagreement,
    double UnusedBudget, double LayersPerRound, double? EndpointSlope, double? StrategicOverlap)
{
    /// <summary>The diagnostics of <paramref name="run"/>, whose endpoint averages its last <paramref name="endpointRounds"/> rounds.</summary>
    /// <param name="run">the run, its strategy the arm's name.</param>
    /// <param name="endpointRounds">the rounds the endpoint averages.</param>
    /// <param name="selectableGroups">the model's selectable groups (overlap ignores the common ones every client trains).</param>
    /// <param name="strategic">strategic's run of the same seed, or null.</param>
    public static RunDiagnostics Of(RecordedRun run, int endpointRounds, IReadOnlyList<string> selectableGroups, RecordedRun? strategic)
    {
        var trained = run.Rounds.Where(r => r.Round > 0).ToList();
        var clients = trained.SelectMany(r => r.Clients).ToList();
        double unused = clients.Count == 0 ? 0 : clients.Average(c => c.Budget > 0 ? Math.Max(0, c.Budget - c.Cost) / c.Budget : 0);
        var selectable = selectableGroups.ToHashSet();
        var withClients = trained.Where(r => r.Clients.Count > 0).ToList();
        double layersPerRound = withClients.Count == 0 ? 0
            : withClients.Average(r => r.Clients.SelectMany(c => c.Groups).Where(selectable.Contains).Distinct().Count());
        return new RunDiagnostics(run.Strategy, run.Seed, run.Endpoint(endpointRounds),
            MeanOrNull(trained.Select(r => r.UnselectedGradientShare)), MeanOrNull(trained.Select(r => r.Disagreement)),
            unused, layersPerRound, Slope(run.EvaluatedAmongLast(endpointRounds)),
            strategic is null || ReferenceEquals(strategic, run) ? null : Overlap(run, strategic, selectable));
    }

    private static double? MeanOrNull(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : present.Average();
    }

    private static double? Slope(IReadOnlyList<RecordedRound> rounds)
    {
        if (rounds.Count < 2) return null;
        double meanX = rounds.Average(r => r.Round), meanY = rounds.Average(r => r.TestAccuracy!.Value);
        return rounds.Sum(r => (r.Round - meanX) * (r.TestAccuracy!.Value - meanY)) / rounds.Sum(r => (r.Round - meanX) * (r.Round - meanX));
    }

    private static double? Overlap(RecordedRun run, RecordedRun strategic, HashSet<string> selectable)
    {
        var theirs = strategic.Rounds.ToDictionary(r => r.Round, r => r.Clients.ToDictionary(c => c.ClientId));
        var indices = new List<double>();
        foreach (var round in run.Rounds)
            foreach (var client in round.Clients)
                if (theirs.TryGetValue(round.Round, out var clients) && clients.TryGetValue(client.ClientId, out var other))
                {
                    var mine = client.Groups.Where(selectable.Contains).ToHashSet();
                    var strategics = other.Groups.Where(selectable.Contains).ToHashSet();
                    int union = mine.Union(strategics).Count();
                    indices.Add(union == 0 ? 1 : (double)mine.Intersect(strategics).Count() / union);
                }
        return indices.Count == 0 ? null : indices.Average();
    }
}
