namespace FedLayers.Comparison;

/// <summary>An arm's <see cref="RunDiagnostics"/> over its seeds, and how far its endpoint lies above head's (the common
/// groups alone).</summary>
/// <param name="Arm">the arm.</param>
/// <param name="UnselectedGradientShare">the runs' mean gradient mass not trained.</param>
/// <param name="Disagreement">the runs' mean normalised disagreement.</param>
/// <param name="UnusedBudget">the runs' mean unused share of the budgets.</param>
/// <param name="LayersPerRound">the runs' mean number of distinct selectable groups a round trained.</param>
/// <param name="EndpointSlope">the runs' slope of accuracy (0..1) per round over the endpoint's rounds.</param>
/// <param name="StrategicOverlap">the runs' Jaccard overlap with strategic's masks.</param>
/// <param name="AboveHead">the arm's mean endpoint minus head's (0..1); null when head is not compared.</param>
public sealed record ArmDiagnostics(string Arm, MeanAndSpread UnselectedGradientShare, MeanAndSpread Disagreement, MeanAndSpread UnusedBudget,
    MeanAndSpread LayersPerRound, MeanAndSpread EndpointSlope, MeanAndSpread StrategicOverlap, double? AboveHead)
{
    /// <summary>The arm's runs' diagnostics summarised; <paramref name="headEndpoint"/> is head's mean endpoint, or null.</summary>
    public static ArmDiagnostics Of(string arm, IReadOnlyList<RunDiagnostics> runs, double? headEndpoint)
    {
        MeanAndSpread Of(Func<RunDiagnostics, double?> value) => MeanAndSpread.Of(runs.Select(value).OfType<double>().ToList());
        double? endpoint = runs.Count == 0 ? null : runs.Average(r => r.Endpoint);
        return new ArmDiagnostics(arm, Of(r => r.UnselectedGradientShare), Of(r => r.Disagreement), Of(r => r.UnusedBudget),
            Of(r => r.LayersPerRound), Of(r => r.EndpointSlope), Of(r => r.StrategicOverlap), endpoint - headEndpoint);
    }
}
