using FedLayers.Selection;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

public class MaskReuseTests
{
    [Fact]
    public void KnownClientsKeepTheirMaskNewOnesTakeTheMostUsedLayers()
    {
        bool[] Mask(params int[] on) => Enumerable.Range(0, 5).Select(on.Contains).ToArray();
        var last = new[] { Mask(1, 2), Mask(2, 4), Mask(2) };
        var context = new SelectionContext(2, [7, 8], [2, 3], [1, 1, 1, 1, 1],
            new Dictionary<int, bool[]> { [7] = Mask(0, 3) }, () => throw new InvalidOperationException("no probe on reuse rounds"));
        var masks = MaskReuse.Reuse(context, last);
        Assert.Equal([0, 3], Layers(masks[0]));
        Assert.Equal([1, 2, 4], Layers(masks[1])); // layer 2 (used 3 times), then 4 and 1 (once each)
    }
}
