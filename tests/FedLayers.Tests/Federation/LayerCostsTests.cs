using FedLayers.Federation;
using FedLayers.Models;

namespace FedLayers.Tests.Federation;

public class LayerCostsTests
{
    // small-cnn on 28x28 (stem halves it to 14): three 16->16 blocks at 14x14, one 16->32 block with a
    // strided 1x1 shortcut down to 7x7, two 32->32 blocks at 7x7; 3x3 convolutions with bias.
    private static readonly double[] SmallCnnParams = [4640, 4640, 4640, 14432, 18496, 18496];
    private static readonly double[] SmallCnnFlops = [1806336, 1806336, 1806336, 1404928, 1806336, 1806336];

    [Fact]
    public void EachUnitGivesTheSmallCnnBlocksTheirHandCountedCosts()
    {
        using var model = BuiltIn.Model("small-cnn", [1, 28, 28], 10);
        Assert.Equal([1, 1, 1, 1, 1, 1], LayerCosts.Of(model.SelectableGroups, LayerCosts.Layers));
        Assert.Equal(SmallCnnParams, LayerCosts.Of(model.SelectableGroups, LayerCosts.Params));
        Assert.Equal(SmallCnnFlops, LayerCosts.Of(model.SelectableGroups, LayerCosts.Flops));
    }

    [Fact]
    public void ParamsCostIsTheNumberOfTrainableValuesInEachSmallTransformerBlock()
    {
        using var model = BuiltIn.Model("small-transformer", [1, 28, 28], 10);
        var perBlock = model.SelectableGroups.Select(g =>
            (double)model.named_parameters().Where(p => p.name.StartsWith(g.Name + ".", StringComparison.Ordinal)).Sum(p => p.parameter.numel())).ToArray();
        Assert.Equal(perBlock, LayerCosts.Of(model.SelectableGroups, LayerCosts.Params));
        // 16 patch tokens of width 64, MLP 128: Q, K, V, output projections, QK^T and AV, two MLP matrices.
        double blockFlops = 4 * 2 * 16 * 64 * 64 + 2 * 2 * 16 * 16 * 64 + 2 * 2 * 16 * 64 * 128;
        Assert.All(LayerCosts.Of(model.SelectableGroups, LayerCosts.Flops), c => Assert.Equal(blockFlops, c));
    }
}
