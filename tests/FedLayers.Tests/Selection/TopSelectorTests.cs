using FedLayers.Selection;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

public class TopSelectorTests
{
    [Fact]
    public void TakesTheLayersNearestTheOutputUpToTheBudget()
    {
        var masks = new TopSelector().Select(Context([1, 3, 6], 6));
        Assert.Equal([5], Layers(masks[0]));
        Assert.Equal([3, 4, 5], Layers(masks[1]));
        Assert.Equal([0, 1, 2, 3, 4, 5], Layers(masks[2]));
    }

    [Fact]
    public void WithCostsSkipsALayerThatDoesNotFitAndGoesOn()
    {
        var masks = new TopSelector().Select(Context([3], 4, costs: [1, 1, 1, 5]));
        Assert.Equal([0, 1, 2], Layers(masks[0]));
    }
}
