using FedLayers.Selection;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

public class FullSelectorTests
{
    [Fact]
    public void EveryClientTrainsEveryLayerWhateverItsBudget()
    {
        var masks = new FullSelector().Select(Context([1, 3], 5));
        Assert.All(masks, m => Assert.Equal([0, 1, 2, 3, 4], Layers(m)));
    }
}
