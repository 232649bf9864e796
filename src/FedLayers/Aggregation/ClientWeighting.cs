namespace FedLayers.Aggregation;

/// <summary>
/// How much each client's update counts in a layer's weighted mean: by its sample count (FedAvg) or
/// equally, and at most <paramref name="MaxShare"/> of the layer's total whatever the client declares.
/// The cap is met by water-filling: shares above it are set to it and the rest is shared among the others
/// in proportion to their weights, again and again until none is above; when the contributors are too few
/// for any share to stay below the cap (fewer than 1 / cap), they all get equal shares, the closest there is.
/// </summary>
/// <param name="BySamples">weights are the sample counts; false: every client weighs 1.</param>
/// <param name="MaxShare">the largest share of a layer one client may have, in (0, 1]; null: no cap.</param>
public sealed record ClientWeighting(bool BySamples = true, double? MaxShare = null)
{
    /// <summary>The cap on one client's share.</summary>
    public double? MaxShare { get; } = MaxShare is null or (> 0 and <= 1)
        ? MaxShare
        : throw new ArgumentException($"must be in (0, 1], got {MaxShare}", nameof(MaxShare));

    /// <summary>Each contributor's share of the layer, in order, summing to 1.</summary>
    /// <param name="sampleCounts">the contributors' sample counts, at least one.</param>
    public double[] Shares(IReadOnlyList<int> sampleCounts)
    {
        int count = sampleCounts.Count;
        var weights = sampleCounts.Select(n => BySamples ? (double)n : 1.0).ToArray();
        double total = weights.Sum();
        if (total <= 0) return Equal(count);
        var shares = weights.Select(w => w / total).ToArray();
        if (MaxShare is not { } cap || shares.All(s => s <= cap)) return shares;
        if (count * cap <= 1) return Equal(count);
        var capped = new bool[count];
        while (true)
        {
            double free = 1 - cap * capped.Count(c => c);
            double freeWeight = Enumerable.Range(0, count).Where(i => !capped[i]).Sum(i => weights[i]);
            var over = Enumerable.Range(0, count).Where(i => !capped[i] && free * weights[i] / freeWeight > cap).ToList();
            if (over.Count == 0)
                return [.. Enumerable.Range(0, count).Select(i => capped[i] ? cap : free * weights[i] / freeWeight)];
            foreach (int i in over) capped[i] = true;
        }
    }

    private static double[] Equal(int count) => Enumerable.Repeat(1.0 / count, count).ToArray();
}
