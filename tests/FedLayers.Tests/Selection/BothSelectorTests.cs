using FedLayers.Selection;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

public class BothSelectorTests
{
    [Theory]
    [InlineData(1, new[] { 0 })]
    [InlineData(2, new[] { 0, 5 })]
    [InlineData(3, new[] { 0, 1, 5 })]
    [InlineData(4, new[] { 0, 1, 4, 5 })]
    [InlineData(5, new[] { 0, 1, 2, 4, 5 })]
    public void AlternatesFromTheBottomAndTheTop(int budget, int[] expected)
    {
        var masks = new BothSelector().Select(Context([budget], 6));
        Assert.Equal(expected, Layers(masks[0]));
    }

    [Fact]
    public void WithAnOddLayerCountTakesTheMiddleLayerOnce()
    {
        var masks = new BothSelector().Select(Context([5], 5));
        Assert.Equal([0, 1, 2, 3, 4], Layers(masks[0]));
    }
}
