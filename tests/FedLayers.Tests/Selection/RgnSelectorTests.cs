using FedLayers.Selection;
using static FedLayers.Tests.Selection.SelectionFixtures;

namespace FedLayers.Tests.Selection;

public class RgnSelectorTests
{
    [Fact]
    public void RanksEachClientsLayersByItsOwnRelativeGradientNorm()
    {
        var probes = new[]
        {
            Probe([9, 9, 9, 9], relative: [0.1, 0.9, 0.3, 0.5]),
            Probe([9, 9, 9, 9], relative: [0.8, 0.1, 0.7, 0.2]),
        };
        var masks = new RgnSelector().Select(Context([2, 1], 4, probes));
        Assert.Equal([1, 3], Layers(masks[0]));
        Assert.Equal([0], Layers(masks[1]));
    }

    [Fact]
    public void IgnoresTheSquaredNormAndSignalToNoise()
    {
        var probes = new[] { Probe([100, 0, 0], relative: [0, 0, 1], snr: [5, 0, 0]) };
        Assert.Equal([2], Layers(new RgnSelector().Select(Context([1], 3, probes))[0]));
    }
}
