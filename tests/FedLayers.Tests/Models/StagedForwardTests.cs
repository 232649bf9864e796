using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Models.Bert;
using FedLayers.Models.ResNet;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>Running the groups in two stages, [0, a) then [a, end), computes exactly what forward computes.</summary>
public class StagedForwardTests
{
    private static readonly BertConfig TinyBert = new(VocabSize: 30, HiddenSize: 8, NumHiddenLayers: 3, NumAttentionHeads: 2,
        IntermediateSize: 16, MaxPositionEmbeddings: 16);

    public static TheoryData<string> Models => ["small-cnn", "small-transformer", "tiny-bert", "tiny-resnet"];

    [Theory]
    [MemberData(nameof(Models))]
    public void EverySplitPointGivesTheLogitsOfForward(string name)
    {
        torch.manual_seed(5);
        var (model, input) = Create(name);
        using var _ = model;
        using var __ = input;
        model.eval();
        using var logits = model.forward(input);
        for (int split = 0; split <= model.Groups.Count; split++)
        {
            using var scope = NewDisposeScope();
            var prefix = model.Run(new GroupActivation(input), 0, split);
            var staged = model.Run(prefix, split, model.Groups.Count);
            Assert.True(TensorAssert.BitwiseEqual(logits, staged.Hidden), $"{name}: split before group {split} changed the logits");
        }
    }

    [Fact]
    public void AnEmptyRangeReturnsItsInputAndABadRangeIsRefused()
    {
        using var model = new SmallCnn(4);
        using var input = zeros(2, 1, 28, 28);
        var activation = new GroupActivation(input);
        Assert.Same(activation, model.Run(activation, 3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Run(activation, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Run(activation, 0, model.Groups.Count + 1));
    }

    private static (LayeredModel Model, Tensor Input) Create(string name) => name switch
    {
        // padding in the second row: the mask must travel from the embeddings to the pooling
        "tiny-bert" => (new BertClassifier(TinyBert, 3, 6), tensor(new long[,] { { 2, 5, 7, 9, 4, 3 }, { 2, 8, 3, 0, 0, 0 } })),
        "tiny-resnet" => (new ResNetClassifier(3, new ResNetLayout([1, 1, 1, 2], new(3, 3, 3, 3), new(1, 1, 1, 1), new(1, 1, 1, 1)),
            new ResNetPreprocessing(new PixelNormalization([0.5f], [0.5f]), 32, zeros(1, 3, 32, 32))), randn(2, 1, 32, 32)),
        _ => (BuiltIn.Model(name, [1, 28, 28], 4), randn(2, 1, 28, 28)),
    };
}
