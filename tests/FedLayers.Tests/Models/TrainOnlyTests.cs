using FedLayers.Models;
using FedLayers.Models.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary><see cref="LayeredModel.TrainOnly"/>: dropout acts in the trained groups and nowhere else.</summary>
public class TrainOnlyTests
{
    [Fact]
    public void DropoutIsOnInTrainedGroupsAndOffInFrozenOnes()
    {
        torch.manual_seed(3);
        var config = new BertConfig(VocabSize: 30, HiddenSize: 8, NumHiddenLayers: 3, NumAttentionHeads: 2, IntermediateSize: 16,
            MaxPositionEmbeddings: 16, HiddenDropoutProb: 0.5, AttentionProbsDropoutProb: 0);
        using var model = new BertClassifier(config, 3, 6);
        using var input = tensor(new long[,] { { 2, 5, 7, 9, 4, 3 }, { 2, 8, 3, 0, 0, 0 } });
        model.TrainOnly(["encoder.layer.2", "head"]);
        using var _ = no_grad();

        // the frozen prefix (embeddings and layers 0, 1) computes what it computes at evaluation
        using var frozen = model.Run(new GroupActivation(input), 0, 3).Hidden.clone();
        using var frozenAgain = model.Run(new GroupActivation(input), 0, 3).Hidden.clone();
        Assert.True(TensorAssert.BitwiseEqual(frozen, frozenAgain), "a frozen group drew dropout masks");

        var prefix = model.Run(new GroupActivation(input), 0, 3);
        using var trained = model.Run(prefix, 3, model.Groups.Count).Hidden.clone();
        using var trainedAgain = model.Run(prefix, 3, model.Groups.Count).Hidden.clone();
        Assert.False(TensorAssert.BitwiseEqual(trained, trainedAgain), "the trained group did not apply dropout");

        model.eval();
        using var evaluated = model.Run(new GroupActivation(input), 0, 3).Hidden.clone();
        Assert.True(TensorAssert.BitwiseEqual(frozen, evaluated), "the frozen prefix differs from evaluation");
    }
}
