using FedLayers.Selection;

namespace FedLayers.Tests.Selection;

public class SelectionDiagnosticsTests
{
    private static readonly bool[][] Masks = [[true, false, false], [true, true, false]];

    [Fact]
    public void UnselectedShareWeighsEachClientByItsSamples()
    {
        double[][] g = [[4, 2, 2], [1, 1, 6]];
        // client 0 (n=10) leaves 2 + 2 of 8 untrained, client 1 (n=30) leaves 6 of 8:
        // (10 * 4 + 30 * 6) / (10 * 8 + 30 * 8) = 220 / 320
        Assert.Equal(220.0 / 320, SelectionDiagnostics.UnselectedGradientShare(Masks, g, [10, 30]), 12);
    }

    [Fact]
    public void UnselectedShareIsZeroForZeroGradientsAndOneForEmptyMasks()
    {
        Assert.Equal(0, SelectionDiagnostics.UnselectedGradientShare(Masks, [[0, 0, 0], [0, 0, 0]], [5, 5]));
        Assert.Equal(1, SelectionDiagnostics.UnselectedGradientShare([[false, false], [false, false]], [[1, 2], [3, 4]], [5, 7]));
    }

    [Fact]
    public void DisagreementIsCountedPerLayerAndNormalisedByItsMaximum()
    {
        // layer 0: both (0), layer 1: one of two (1 * 1), layer 2: none (0) -> 1 / (3 * 4 / 4)
        Assert.Equal(1.0 / 3, SelectionDiagnostics.NormalizedDisagreement(Masks), 12);
        Assert.Equal(0, SelectionDiagnostics.NormalizedDisagreement([[true, false], [true, false], [true, false]]));
        Assert.Equal(1, SelectionDiagnostics.NormalizedDisagreement([[true, false], [false, true], [true, false], [false, true]]));
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => SelectionDiagnostics.UnselectedGradientShare(Masks, [[1, 2, 3]], [1, 1]));
        Assert.Throws<ArgumentException>(() => SelectionDiagnostics.UnselectedGradientShare(Masks, [[1, 2], [1, 2]], [1, 1]));
        Assert.Throws<ArgumentException>(() => SelectionDiagnostics.NormalizedDisagreement([[true], [true, false]]));
    }
}
