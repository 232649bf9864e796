namespace FedLayers.Comparison;

/// <summary>What a comparison's results.json and results.md say.</summary>
/// <param name="TargetAccuracy">the accuracy (0..1) "rounds to target" counts to.</param>
/// <param name="EndpointRounds">the rounds the endpoint averages.</param>
/// <param name="Strategies">one result per strategy, in the order they ran.</param>
/// <param name="Paired">every strategy but the reference against the reference, seed by seed, in the same order.</param>
public sealed record ComparisonSummary(double TargetAccuracy, int EndpointRounds, IReadOnlyList<StrategyResult> Strategies,
    IReadOnlyList<PairedDifference> Paired);
