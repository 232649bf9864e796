using FedLayers.Federation;
using FedLayers.Models;

namespace FedLayers.Tests.Federation;

public class TrainingFlopsTests
{
    private static readonly LayerGroup[] Groups =
    [
        new("stem", 0, LayerRole.Fixed, [], [], 0, 10),
        new("blocks.0", 1, LayerRole.Selectable, [], [], 0, 20),
        new("blocks.1", 2, LayerRole.Selectable, [], [], 0, 30),
        new("head", 3, LayerRole.Common, [], [], 0, 40),
    ];

    [Fact]
    public void CountsThePrefixPerComputationAndTheRestPerVisit()
    {
        // prefix stem + blocks.0 = 30 per computation; blocks.1: forward + weight gradient = 60;
        // head: forward + weight gradient + input gradient = 120; so 180 per visit
        Assert.Equal(30 * 3 + 180 * 5, TrainingFlops.Of(Groups, ["blocks.1", "head"], 2, sampleVisits: 5, prefixComputations: 3));
    }

    [Fact]
    public void FrozenGroupsBetweenTrainedOnesStillPassTheGradientDown()
    {
        // lowest trained blocks.0: its forward + weight gradient (40); blocks.1 frozen: forward + input gradient (60);
        // head: forward + weight + input gradient (120); no prefix
        Assert.Equal(220 * 2, TrainingFlops.Of(Groups, ["blocks.0", "head"], 1, sampleVisits: 2, prefixComputations: 0));
    }
}
