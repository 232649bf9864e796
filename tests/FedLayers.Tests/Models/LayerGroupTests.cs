using FedLayers.Models;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

public class LayerGroupTests
{
    [Theory]
    [InlineData("small-cnn")]
    [InlineData("small-transformer")]
    public void EveryParameterIsInExactlyOneGroupAndRolesRunFixedSelectableCommon(string name)
    {
        using var model = BuiltIn.Model(name, [1, 28, 28], 10);
        var owned = model.Groups.SelectMany(g => g.ParameterNames).ToList();
        Assert.Equal(owned.Count, owned.Distinct().Count());
        Assert.Equal(model.named_parameters().Select(p => p.name).Order(), owned.Order());
        Assert.Equal(LayerRole.Fixed, model.Groups[0].Role);
        Assert.Equal(LayerRole.Common, model.Groups[^1].Role);
        Assert.Equal(6, model.SelectableGroups.Count);
        Assert.All(model.Groups, g => Assert.True(g.ParameterCount > 0 && g.ForwardFlopsPerSample > 0, g.Name));
        Assert.Equal(model.parameters().Sum(p => p.numel()), model.Groups.Sum(g => g.ParameterCount));
        using var logits = model.forward(zeros(3, 1, 28, 28));
        Assert.Equal([3L, 10L], logits.shape);
    }
}
