using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Setup;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

/// <summary>The frozen prefix on the real ResNet18, whose convolutions give a batch of one sample other last bits than the same
/// sample among others: kept and fresh rows mixed in one batch are still bitwise what the whole batch computes.</summary>
public class FrozenPrefixRowsTests(FashionMnistSlice data) : IClassFixture<FashionMnistSlice>
{
    [Fact]
    public void ABatchOfKeptRowsAndOneNewRowIsBitwiseTheWholeBatchComputedAndABatchOfOneIsComputedAsItIs()
    {
        var config = RunConfig.Defaults().With(RunSettings.Model, "resnet18").With(RunSettings.Clients, 4).With(RunSettings.ClientsPerRound, 4);
        using var setup = FederationSetup.Build(config, data.Splits, _ => { });
        var model = setup.Model;
        var top = model.SelectableGroups[^1];
        model.TrainOnly(TrainableGroups.ForMask(model.Groups, [.. model.SelectableGroups.Select(g => g == top)]));
        int end = model.StageBoundary(top.Index);
        int[] first = [.. Enumerable.Range(0, 32)];
        int[] keptAndOneNew = [.. Enumerable.Range(1, 31), 40]; // 31 rows kept from the first batch, one computed alone
        int[] lone = [41];
        List<int[]> batches = [first, keptAndOneNew, lone, [41, 0]];
        var train = setup.Tensors.Train;

        using var prefix = new FrozenPrefix(model, end, train, CPU, batches, long.MaxValue);
        using var _ = no_grad();
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var expected = model.Run(new GroupActivation(train.InputsAt(batch, CPU)), 0, end).Hidden;
            Assert.True(prefix.Output(batch).Hidden.equal(expected).all().item<bool>(), $"batch of {batch.Length} starting at {batch[0]}");
        }
        Assert.Equal(32 + 1 + 1 + 1, prefix.ComputedSamples); // the lone batch's sample again in the last batch: not kept from it
    }
}
