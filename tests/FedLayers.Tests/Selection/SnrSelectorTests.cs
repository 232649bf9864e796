using FedLayers.Selection;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

public class SnrSelectorTests
{
    [Fact]
    public void RanksEachClientsLayersByItsOwnSignalToNoise()
    {
        var probes = new[]
        {
            Probe([1, 1, 1, 1], snr: [3, 1, 4, 2]),
            Probe([1, 1, 1, 1], snr: [0, 5, 0, 6]),
        };
        var masks = new SnrSelector().Select(Context([2, 3], 4, probes));
        Assert.Equal([0, 2], Layers(masks[0]));
        Assert.Equal([1, 2, 3], Layers(masks[1]));
    }

    [Fact]
    public void BreaksTiesTowardTheOutput()
    {
        var probes = new[] { Probe([1, 1, 1], snr: [2, 2, 2]) };
        Assert.Equal([1, 2], Layers(new SnrSelector().Select(Context([2], 3, probes))[0]));
    }
}
