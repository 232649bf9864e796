using FedLayers.Federation;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

public class ClientTrainerTests
{
    // two passes, so that the second reads the frozen prefix from the cache
    private static readonly LocalTrainingOptions Training = new(2, null, 0.05, 16);

    [Theory]
    [InlineData("small-cnn")]
    [InlineData("small-transformer")]
    public void FrozenGroupsStayBitwiseUnchangedAndOnlyTrainedGroupsAreSent(string modelName)
    {
        using var data = TinyData.Images(64);
        torch.manual_seed(3);
        using var model = BuiltIn.Model(modelName, [1, 28, 28], data.NumClasses);
        using var global = ModelState.Capture(model);
        bool[] mask = [false, true, false, false, true, false];
        var trained = TrainableGroups.ForMask(model.Groups, mask);

        using var update = new ClientTrainer(model, CPU).Train(0, global, data, Enumerable.Range(0, 64).ToList(), trained, Training, new Random(1));

        var selectable = model.SelectableGroups;
        Assert.Equal([selectable[1].Name, selectable[4].Name, "head"], update.TrainedGroups);
        var sent = model.Groups.Where(g => trained.Contains(g.Name)).SelectMany(g => g.TensorNames).ToHashSet();
        Assert.Equal(sent, update.Deltas.Keys.ToHashSet());
        var after = model.state_dict();
        foreach (var group in model.Groups.Where(g => !trained.Contains(g.Name)))
            foreach (var name in group.TensorNames)
                Assert.True(TensorAssert.BitwiseEqual(after[name], global[name]), $"{name} of frozen group {group.Name} changed");
        // per group, not per tensor: some tensors have no gradient by construction (an attention key bias)
        foreach (var group in model.Groups.Where(g => trained.Contains(g.Name)))
            Assert.True(group.ParameterNames.Sum(n => update.Deltas[n].abs().sum().item<float>()) > 0, $"trained group {group.Name} did not move");
        Assert.Equal(update.Deltas.Values.Sum(t => t.numel() * 4), update.UploadBytes);
    }

    [Fact]
    public void FullTrainingOfOneClientWithAllDataEqualsCentralisedSgdOnTheSameBatches()
    {
        using var data = TinyData.Images(100);
        var samples = Enumerable.Range(0, data.Count).ToList();
        var options = new LocalTrainingOptions(2, null, 0.05, 32);

        torch.manual_seed(7);
        using var model = new SmallCnn(data.NumClasses);
        using var global = ModelState.Capture(model);
        var everything = TrainableGroups.ForMask(model.Groups, Enumerable.Repeat(true, model.SelectableGroups.Count).ToArray());
        using var update = new ClientTrainer(model, CPU).Train(0, global, data, samples, everything, options, new Random(11));
        LayerwiseAggregator.FedAvg.Apply(global, model.Groups, [update]);

        torch.manual_seed(7);
        using var central = new SmallCnn(data.NumClasses);
        var trainable = new List<TorchSharp.Modules.Parameter>();
        foreach (var (name, parameter) in central.named_parameters())
            if (name.StartsWith("stem.")) parameter.requires_grad = false; // the fixed group: never trained
            else trainable.Add(parameter);
        using var sgd = optim.SGD(trainable, 0.05);
        foreach (var batch in BatchOrder.Batches(samples, 32, 2, null, new Random(11)))
        {
            var (x, y) = data.Batch(batch, CPU);
            sgd.zero_grad();
            nn.functional.cross_entropy(central.forward(x), y).backward();
            sgd.step();
        }

        foreach (var (name, value) in central.state_dict())
            Assert.True(value.allclose(global[name], 1e-5, 1e-6), $"{name} differs from centralised SGD");
    }
}
