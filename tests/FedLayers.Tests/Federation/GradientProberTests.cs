using FedLayers.Federation;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

public class GradientProberTests
{
    [Fact]
    public void SquaredNormsAreThoseOfPlainBackpropagationAndWeightsDoNotMove()
    {
        using var data = TinyData.Images(48);
        var samples = Enumerable.Range(0, data.Count).ToList();
        torch.manual_seed(12);
        using var model = new SmallCnn(data.NumClasses);
        using var global = ModelState.Capture(model);
        var prober = new GradientProber(model, CPU);

        var probe = prober.Probe(global, data, samples, 2, 16, new Random(5));
        var again = prober.Probe(global, data, samples, 2, 16, new Random(5));

        var expected = new double[model.SelectableGroups.Count];
        model.eval();
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var gradientSums = parameters.ToDictionary(p => p.Key, p => zeros_like(p.Value));
        foreach (var batch in BatchOrder.Batches(samples, 16, 1, 2, new Random(5)))
        {
            model.zero_grad();
            var (x, y) = data.Batch(batch, CPU);
            nn.functional.cross_entropy(model.forward(x), y).backward();
            for (int l = 0; l < expected.Length; l++)
                expected[l] += model.SelectableGroups[l].ParameterNames.Sum(n => parameters[n].grad!.square().sum().item<float>());
            foreach (var (name, sum) in gradientSums) sum.add_(parameters[name].grad!);
        }
        // the squared norm of the gradient averaged over the two batches
        var expectedMean = model.SelectableGroups.Select(group => group.ParameterNames.Sum(n => (gradientSums[n] / 2).square().sum().item<float>())).ToList();

        Assert.Equal(2, probe.Batches);
        for (int l = 0; l < expected.Length; l++)
        {
            Assert.Equal(expected[l], probe.SquaredGradNorm[l], expected[l] * 1e-4);
            Assert.Equal(expectedMean[l], probe.MeanGradSquaredNorm[l], expectedMean[l] * 1e-4);
        }
        // the kept buffers start from zero at every probe
        Assert.Equal(probe.SquaredGradNorm, again.SquaredGradNorm);
        Assert.Equal(probe.RelativeGradNorm, again.RelativeGradNorm);
        Assert.Equal(probe.SignalToNoise, again.SignalToNoise);
        Assert.Equal(probe.MeanGradSquaredNorm, again.MeanGradSquaredNorm);
        foreach (var name in global.Names)
            Assert.True(TensorAssert.BitwiseEqual(model.state_dict()[name], global[name]), $"{name} changed");
    }

    [Fact]
    public void AutogradStartsAtTheLowestSelectableGroupWithOneForwardPerBatch()
    {
        using var data = TinyData.Images(32, classes: 3, size: 4);
        torch.manual_seed(2);
        using var model = new LinearChainModel(16, selectable: 3, classes: 3);
        using var global = ModelState.Capture(model);

        new GradientProber(model, CPU).Probe(global, data, Enumerable.Range(0, 32).ToList(), 3, 8, new Random(4));

        Assert.Equal(3 * model.Groups.Count, model.Runs.Count);
        Assert.All(model.Runs.Where(r => r.Group == 0), r => Assert.False(r.GradEnabled || r.InGraph));
        Assert.All(model.Runs.Where(r => r.Group > 0), r => Assert.True(r.GradEnabled && r.InGraph, $"group {r.Group}"));
    }
}
