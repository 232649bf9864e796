namespace FedLayers.Comparison;

/// <summary>
/// A strategy against the reference, seed by seed: a seed fixes the partition, the budgets and the sampling for every
/// strategy, so the two runs of a seed are a pair, and the per-seed difference of their endpoints removes what the seed
/// does to both. A mean difference whose 95 % interval lies above 0 says the strategy is better, below 0 worse, else
/// that these seeds do not separate them.
/// </summary>
/// <param name="Strategy">the strategy compared.</param>
/// <param name="Reference">the strategy it is compared with.</param>
/// <param name="Seeds">the seeds both ran.</param>
/// <param name="Mean">the mean of the per-seed differences (strategy minus reference, endpoint accuracy 0..1); null without seeds.</param>
/// <param name="Lower">the 95 % t-interval's lower end; null with fewer than two seeds.</param>
/// <param name="Upper">the 95 % t-interval's upper end; null with fewer than two seeds.</param>
/// <param name="Positive">the seeds on which the strategy's endpoint was above the reference's.</param>
public sealed record PairedDifference(string Strategy, string Reference, int Seeds, double? Mean, double? Lower, double? Upper, int Positive)
{
    /// <summary>The paired difference of <paramref name="strategy"/>'s endpoints against <paramref name="reference"/>'s, by seed;
    /// seeds only one of them ran are left out.</summary>
    public static PairedDifference Of(string strategy, IReadOnlyDictionary<int, double> endpoints, string reference,
        IReadOnlyDictionary<int, double> referenceEndpoints)
    {
        var differences = endpoints.Where(e => referenceEndpoints.ContainsKey(e.Key)).Select(e => e.Value - referenceEndpoints[e.Key]).ToList();
        var spread = MeanAndSpread.Of(differences);
        double? halfWidth = differences.Count < 2 ? null
            : StudentT.Critical95(differences.Count - 1) * spread.StandardDeviation!.Value / Math.Sqrt(differences.Count);
        return new PairedDifference(strategy, reference, differences.Count, spread.Mean, spread.Mean - halfWidth, spread.Mean + halfWidth,
            differences.Count(d => d > 0));
    }

    /// <summary>"better" when the interval lies above 0, "worse" below 0, else "not separated" (also without an interval).</summary>
    public string Verdict => Lower > 0 ? "better" : Upper < 0 ? "worse" : "not separated";
}
