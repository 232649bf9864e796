using FedLayers.Federation;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

public class FrozenPrefixTests
{
    private const long NoCache = 0;
    private const long Unbounded = long.MaxValue;

    [Fact]
    public void AutogradNeitherRecordsNorReachesTheGroupsBelowTheLowestTrainedGroup()
    {
        using var data = TinyData.Images(32, classes: 3, size: 4);
        torch.manual_seed(2);
        using var model = new LinearChainModel(16, selectable: 4, classes: 3);
        using var global = ModelState.Capture(model);
        var trained = TrainableGroups.ForMask(model.Groups, [false, true, false, true]);
        int lowestTrained = model.Groups.First(g => trained.Contains(g.Name)).Index;

        using var update = new ClientTrainer(model, CPU).Train(0, global, data, Enumerable.Range(0, 32).ToList(), trained,
            new LocalTrainingOptions(1, 3, 0.1, 8, NoCache), new Random(4));

        Assert.Equal(2, lowestTrained);
        Assert.Equal(3 * model.Groups.Count, model.Runs.Count); // every group once per step: nothing is run twice
        Assert.All(model.Runs.Where(r => r.Group < lowestTrained), r => Assert.False(r.GradEnabled || r.InGraph, $"group {r.Group} was recorded"));
        Assert.All(model.Runs.Where(r => r.Group >= lowestTrained), r => Assert.True(r.GradEnabled && r.InGraph, $"group {r.Group} was not recorded"));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var group in model.Groups)
            foreach (var name in group.ParameterNames)
                Assert.Equal(trained.Contains(group.Name), parameters[name].grad is not null);
    }

    [Fact]
    public void CachedAndUncachedTrainingGiveTheSameUpdates()
    {
        using var data = TinyData.Images(40);
        var samples = Enumerable.Range(0, data.Count).ToList();
        torch.manual_seed(6);
        using var model = new SmallCnn(data.NumClasses);
        using var global = ModelState.Capture(model);
        var topOnly = TrainableGroups.ForMask(model.Groups, [false, false, false, false, false, true]);

        ClientUpdate Train(long cacheBytes) => new ClientTrainer(model, CPU).Train(0, global, data, samples, topOnly,
            new LocalTrainingOptions(3, null, 0.05, 16, cacheBytes), new Random(9));

        using var uncached = Train(NoCache);
        using var cached = Train(Unbounded);
        using var partlyCached = Train(10 * PrefixRowBytes(model, topOnly, data));
        foreach (var (name, delta) in uncached.Deltas)
        {
            Assert.True(delta.abs().sum().item<float>() > 0, $"{name} did not move");
            Assert.True(cached.Deltas[name].allclose(delta, 1e-4, 1e-6), $"{name}: cached training differs");
            Assert.True(partlyCached.Deltas[name].allclose(delta, 1e-4, 1e-6), $"{name}: partly cached training differs");
        }
        Assert.Equal(uncached.TrainLoss, cached.TrainLoss, 4);
    }

    [Theory]
    [InlineData(Unbounded, 40, 40)] // computed once per sample, then reused
    [InlineData(NoCache, 0, 120)] // does not fit: computed at every visit
    [InlineData(10, 10, 100)] // room for 10 samples: those once, the other 30 three times
    public void KeepsTheRevisitedSamplesThatFitAndReturnsWhatThePrefixComputes(long capacityInSamples, int expectedCached, int expectedComputed)
    {
        using var data = TinyData.Images(40);
        torch.manual_seed(8);
        using var model = new SmallCnn(data.NumClasses);
        var trained = TrainableGroups.ForMask(model.Groups, [false, false, false, true, false, false]);
        model.TrainOnly(trained);
        int lowestTrained = model.Groups.First(g => trained.Contains(g.Name)).Index;
        var batches = BatchOrder.Batches(Enumerable.Range(0, data.Count).ToList(), 16, 3, null, new Random(1)).ToList();
        long capacity = capacityInSamples == Unbounded ? Unbounded : capacityInSamples * PrefixRowBytes(model, trained, data);

        using var prefix = new FrozenPrefix(model, lowestTrained, data, CPU, batches, capacity);
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var expected = UncachedPrefix(model, lowestTrained, data, batch);
            Assert.True(prefix.Output(batch).Hidden.allclose(expected, 1e-5, 1e-6));
        }

        Assert.Equal(expectedCached, prefix.CachedSamples);
        Assert.Equal(expectedComputed, prefix.ComputedSamples);
    }

    [Fact]
    public void KeepsNothingWhenNoSampleComesBack()
    {
        using var data = TinyData.Images(40);
        using var model = new SmallCnn(data.NumClasses);
        var batches = BatchOrder.Batches(Enumerable.Range(0, data.Count).ToList(), 16, 1, null, new Random(1)).ToList();
        using var prefix = new FrozenPrefix(model, 3, data, CPU, batches, Unbounded);
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            prefix.Output(batch);
        }
        Assert.Equal(0, prefix.CachedSamples);
        Assert.Equal(40, prefix.ComputedSamples);
    }

    private static Tensor UncachedPrefix(LayeredModel model, int endGroup, FedLayers.Data.LabeledDataset data, int[] batch)
    {
        using var _ = no_grad();
        return model.Run(new GroupActivation(data.InputsAt(batch, CPU)), 0, endGroup).Hidden;
    }

    private static long PrefixRowBytes(LayeredModel model, IReadOnlyList<string> trained, FedLayers.Data.LabeledDataset data)
    {
        using var scope = NewDisposeScope();
        var output = UncachedPrefix(model, model.Groups.First(g => trained.Contains(g.Name)).Index, data, [0]);
        return output.numel() * output.ElementSize;
    }
}
