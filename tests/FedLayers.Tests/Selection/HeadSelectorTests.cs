using FedLayers.Selection;

namespace FedLayers.Tests.Selection;

public class HeadSelectorTests
{
    [Fact]
    public void NoClientGetsASelectableLayerWhateverItsBudget()
    {
        var context = new SelectionContext(1, [3, 5], [2, 4], [1, 1, 1, 1], new Dictionary<int, bool[]>(),
            () => throw new InvalidOperationException("head does not probe"));
        var masks = new HeadSelector().Select(context);
        Assert.Equal(2, masks.Count);
        Assert.All(masks, m => Assert.Equal(new bool[4], m));
        Assert.False(new HeadSelector().NeedsProbe);
    }
}
