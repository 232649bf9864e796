using FedLayers.Models;

namespace FedLayers.Federation;

/// <summary>
/// The arithmetic one client's local training did, from the groups' forward FLOPs per sample
/// F_g (multiply-adds counted as 2, as <see cref="FlopCount"/> does). Lowest trained group k:
/// <list type="bullet">
/// <item>every visit of a sample runs groups k.. forward: sum_{g &gt;= k} F_g;</item>
/// <item>and backward: the weight gradient of each trained group (about F_g) and the input gradient
/// of every group above k, through which the gradient reaches k (about F_g each);</item>
/// <item>the frozen prefix (groups below k) runs once per sample the training visits, not per visit: what the in-round
/// prefix cache gives when it holds the revisited samples. The count is the configuration's, not the caches': a smaller
/// cache recomputes more, and outputs kept from earlier rounds (<see cref="CrossRoundPrefixCache"/>) save part of it, which
/// shows in the round's seconds; so a resumed run or a deployment logs the FLOPs of its simulation.</item>
/// </list>
/// </summary>
public static class TrainingFlops
{
    /// <summary>The FLOPs of one client's local training, by the rules above.</summary>
    /// <param name="groups">the model's groups, input to output.</param>
    /// <param name="trainedGroups">names of the groups the client trained.</param>
    /// <param name="lowestTrained">k: the index of the lowest trained group (the end of the frozen prefix).</param>
    /// <param name="sampleVisits">samples summed over all local steps.</param>
    /// <param name="prefixComputations">samples the frozen prefix is counted for: the training's distinct samples.</param>
    public static double Of(IReadOnlyList<LayerGroup> groups, IReadOnlyCollection<string> trainedGroups, int lowestTrained,
        long sampleVisits, long prefixComputations)
    {
        double prefix = groups.Where(g => g.Index < lowestTrained).Sum(g => (double)g.ForwardFlopsPerSample);
        double perVisit = groups.Where(g => g.Index >= lowestTrained).Sum(g =>
            g.ForwardFlopsPerSample * (1.0 + (trainedGroups.Contains(g.Name) ? 1 : 0) + (g.Index > lowestTrained ? 1 : 0)));
        return prefix * prefixComputations + perVisit * sampleVisits;
    }

}
