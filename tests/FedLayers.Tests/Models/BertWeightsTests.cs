using FedLayers.Models.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

public class BertWeightsTests
{
    private static readonly BertConfig Tiny = new(VocabSize: 30, HiddenSize: 4, NumHiddenLayers: 2, NumAttentionHeads: 2,
        IntermediateSize: 8, MaxPositionEmbeddings: 8);

    /// <summary>A checkpoint for <see cref="Tiny"/>: a second model's tensors plus a pooler.</summary>
    private static Dictionary<string, Tensor> Checkpoint()
    {
        torch.manual_seed(9);
        using var source = new BertModel(Tiny);
        var tensors = source.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        tensors["pooler.dense.weight"] = randn(4, 4);
        tensors["pooler.dense.bias"] = randn(4);
        return tensors;
    }

    [Fact]
    public void LoadsEveryEncoderTensorIgnoresThePoolerAndKeepsTheHead()
    {
        var checkpoint = Checkpoint();
        torch.manual_seed(1);
        using var classifier = new BertClassifier(Tiny, 3, 8);
        var headBefore = classifier.state_dict()["head.weight"].clone();

        int copied = BertWeights.Load(classifier, checkpoint, "tiny.ckpt");

        Assert.Equal(checkpoint.Count - 2, copied);
        var state = classifier.state_dict();
        foreach (var (name, value) in checkpoint.Where(c => !c.Key.StartsWith("pooler.")))
            Assert.True(TensorAssert.BitwiseEqual(value, state[name]), name);
        Assert.True(TensorAssert.BitwiseEqual(headBefore, state["head.weight"]));
    }

    [Fact]
    public void AMissingTensorIsNamed()
    {
        var checkpoint = Checkpoint();
        checkpoint.Remove("encoder.layer.1.output.dense.weight");
        using var model = new BertModel(Tiny);
        var error = Assert.Throws<UserInputException>(() => BertWeights.Load(model, checkpoint, "tiny.ckpt"));
        Assert.Contains("tiny.ckpt", error.Message);
        Assert.Contains("encoder.layer.1.output.dense.weight", error.Message);
    }

    [Fact]
    public void AWrongShapeIsNamedWithBothShapes()
    {
        var checkpoint = Checkpoint();
        checkpoint["embeddings.word_embeddings.weight"] = zeros(31, 4);
        using var model = new BertModel(Tiny);
        var error = Assert.Throws<UserInputException>(() => BertWeights.Load(model, checkpoint, "tiny.ckpt"));
        Assert.Contains("embeddings.word_embeddings.weight is [31, 4], expected [30, 4]", error.Message);
    }

    [Fact]
    public void AnUnusedTensorIsNamed()
    {
        var checkpoint = Checkpoint();
        checkpoint["encoder.layer.2.output.dense.bias"] = zeros(4); // a third layer the model does not have
        using var model = new BertModel(Tiny);
        var error = Assert.Throws<UserInputException>(() => BertWeights.Load(model, checkpoint, "tiny.ckpt"));
        Assert.Contains("encoder.layer.2.output.dense.bias", error.Message);
    }
}
