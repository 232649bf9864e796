using FedLayers.Selection;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

public class BottomSelectorTests
{
    [Fact]
    public void TakesTheLayersNearestTheInputUpToTheBudget()
    {
        var masks = new BottomSelector().Select(Context([1, 4], 6));
        Assert.Equal([0], Layers(masks[0]));
        Assert.Equal([0, 1, 2, 3], Layers(masks[1]));
    }
}
