using FedLayers.Models;
using FedLayers.Models.Bert;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>The BERT modules on a tiny random config: masking, pooling, names, weight loading.</summary>
public class BertModelTests
{
    private static readonly BertConfig Tiny = new(VocabSize: 40, HiddenSize: 8, NumHiddenLayers: 2, NumAttentionHeads: 2,
        IntermediateSize: 16, MaxPositionEmbeddings: 16);

    private static Tensor Ids(params long[][] rows) =>
        tensor(rows.SelectMany(r => r.Concat(Enumerable.Repeat(0L, rows.Max(x => x.Length) - r.Length))).ToArray(),
            [rows.Length, rows.Max(r => r.Length)]);

    [Fact]
    public void PaddingDoesNotChangeTheRealTokensOrTheClassifierOutput()
    {
        torch.manual_seed(2);
        using var model = new BertModel(Tiny);
        model.eval();
        using var _ = no_grad();
        using var short_ = Ids([5, 7, 9, 3]);
        using var padded = Ids([5, 7, 9, 3, 0, 0, 0]);
        using var a = model.forward(short_, short_.ne(0));
        using var b = model.forward(padded, padded.ne(0));
        Assert.True(a.allclose(b.narrow(1, 0, 4), rtol: 0, atol: 1e-6));
        // without the mask, the padding would be attended to and change the real tokens
        using var unmasked = model.forward(padded, ones_like(padded));
        Assert.False(a.allclose(unmasked.narrow(1, 0, 4), rtol: 0, atol: 1e-4));

        torch.manual_seed(2);
        using var classifier = new BertClassifier(Tiny, 3, 8);
        classifier.eval();
        using var logitsShort = classifier.forward(short_);
        using var logitsPadded = classifier.forward(padded);
        Assert.True(logitsShort.allclose(logitsPadded, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ARowOfPaddingOnlyStaysFinite()
    {
        torch.manual_seed(2);
        using var classifier = new BertClassifier(Tiny, 2, 8);
        using var ids = Ids([4, 6, 8], [0, 0, 0]);
        using var logits = classifier.forward(ids);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void MeanPoolingAveragesOnlyTheMaskedTokens()
    {
        using var hidden = tensor(new float[] { 1, 10, 3, 30, 100, 1000, 2, 4, 6, 8, 10, 12 }, [2, 3, 2]);
        using var mask = tensor(new[] { true, true, false, true, false, false });
        using var pooled = BertClassifier.MeanPool(hidden, mask.view(2, 3));
        Assert.Equal([2f, 20f, 2f, 4f], pooled.data<float>().ToArray());
    }

    [Fact]
    public void ClassifierRejectsNonIntegerInput()
    {
        using var classifier = new BertClassifier(Tiny, 2, 8);
        Assert.Throws<ArgumentException>(() => classifier.forward(zeros(2, 8)));
    }

    [Fact]
    public void ModelAndClassifierShareTheHuggingFaceNamesAndTheClassifierGroupsFollowTheLayers()
    {
        using var model = new BertModel(Tiny);
        using var classifier = new BertClassifier(Tiny, 2, 8);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(names.Order(), classifier.named_parameters().Select(p => p.name).Where(n => !n.StartsWith("head.")).Order());
        Assert.Contains("encoder.layer.1.attention.self.value.bias", names);
        Assert.Contains("encoder.layer.1.attention.output.LayerNorm.weight", names);
        Assert.Contains("embeddings.token_type_embeddings.weight", names);
        Assert.Equal(["embeddings", "encoder.layer.0", "encoder.layer.1", "head"], classifier.Groups.Select(g => g.Name));
        Assert.Equal(classifier.parameters().Sum(p => p.numel()), classifier.Groups.Sum(g => g.ParameterCount));
    }

    [Fact]
    public void AnInvalidConfigNamesTheConfigKey()
    {
        var heads = Assert.Throws<UserInputException>(() => (Tiny with { NumAttentionHeads = 3 }).Validate("config.json"));
        Assert.Contains("num_attention_heads", heads.Message);
        Assert.Contains("config.json", heads.Message);
        var act = Assert.Throws<UserInputException>(() => (Tiny with { HiddenAct = "swish" }).Validate("config.json"));
        Assert.Contains("hidden_act", act.Message);
    }
}
