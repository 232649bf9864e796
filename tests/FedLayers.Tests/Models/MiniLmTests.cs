using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Models.Bert;
using FedLayers.Weights;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>;

namespace FedLayers.Tests.Models;

/// <summary>Reads the packaged all-MiniLM-L6-v2 once per test class: its weights, a loaded encoder,
/// the tokenizer and an ONNX Runtime session on the same ONNX bytes.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public const int SeqLen = 24;

    public MiniLmFixture()
    {
        torch.manual_seed(1);
        OnnxBytes = MiniLmPackage.ReadOnnxBytes();
        Weights = MiniLm.ImportWeights();
        Encoder = new BertModel(MiniLm.Config);
        BertWeights.Load(Encoder, Weights, MiniLmPackage.OnnxSource);
        Encoder.eval();
        Tokens = MiniLm.CreateTextEncoder(SeqLen);
    }

    public byte[] OnnxBytes { get; }
    public Dictionary<string, Tensor> Weights { get; }
    public BertModel Encoder { get; }
    public WordPieceTextEncoder Tokens { get; }

    public void Dispose()
    {
        Encoder.Dispose();
        foreach (var t in Weights.Values) t.Dispose();
    }
}

public class MiniLmTests(MiniLmFixture fixture, ITestOutputHelper output) : IClassFixture<MiniLmFixture>
{
    private static readonly string[] Sentences =
    [
        "hello world",
        "The quick brown fox jumps over the lazy dog near the river bank.",
        "Federated learning trains one model on data that never leaves the clients!",
        "Win $1000 now: click http://example.com before midnight, limited offer",
        "ok",
    ];

    [Fact]
    public void LastHiddenStateMatchesOnnxRuntimeOnRealTokens()
    {
        using var ids = fixture.Tokens.Encode(Sentences);
        using var mask = ids.ne(0).to_type(ScalarType.Int64);
        long batch = ids.shape[0], tokens = ids.shape[1];
        var lengths = mask.sum(1).data<long>().ToArray();
        Assert.True(lengths.Distinct().Count() >= 3 && lengths.Min() < tokens, "the batch must mix lengths and padding");

        using var session = new InferenceSession(fixture.OnnxBytes);
        Assert.Equal(["attention_mask", "input_ids", "token_type_ids"], session.InputMetadata.Keys.Order(StringComparer.Ordinal));
        int[] shape = [(int)batch, (int)tokens];
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor(ids.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor(mask.data<long>().ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor(new long[batch * tokens], shape)),
        };
        using var results = session.Run(inputs, ["last_hidden_state"]);
        var expected = results.Single().AsTensor<float>();
        Assert.Equal([(int)batch, (int)tokens, 384], expected.Dimensions.ToArray());
        using var reference = tensor(expected.ToArray(), [batch, tokens, 384]);

        using var _ = no_grad();
        using var actual = fixture.Encoder.forward(ids, mask);
        using var difference = (actual - reference).abs().amax([2]).masked_select(mask.to_type(ScalarType.Bool));
        float maxDifference = difference.max().item<float>();
        output.WriteLine($"max |torch - onnxruntime| over {difference.numel()} real tokens: {maxDifference:E3}");
        Assert.True(maxDifference <= 1e-4f, $"max abs difference {maxDifference} exceeds 1e-4");
        Assert.True(reference.abs().max().item<float>() > 1, "the reference is not trivially small");
    }

    [Fact]
    public void ParameterCountsMatchThePublishedArchitecture()
    {
        long encoder = fixture.Encoder.parameters().Sum(p => p.numel());
        // BertModel of all-MiniLM-L6-v2 without the pooler: embeddings 11,918,592 + 6 layers x 1,774,464
        Assert.Equal(22_565_376L, encoder);
        // the export also carries the pooler (384 x 384 + 384), which FedLayers does not use;
        // with it the count is the published 22,713,216 of sentence-transformers/all-MiniLM-L6-v2
        Assert.Equal(["pooler.dense.bias", "pooler.dense.weight"], fixture.Weights.Keys.Where(n => n.StartsWith("pooler.")).Order());
        Assert.Equal(22_713_216L, fixture.Weights.Values.Sum(t => t.numel()));
        Assert.Equal(fixture.Encoder.named_parameters().Select(p => p.name).Order(),
            fixture.Weights.Keys.Where(n => !n.StartsWith("pooler.")).Order());
        Assert.All(fixture.Weights, w => Assert.Equal(ScalarType.Float32, w.Value.dtype));
    }

    [Fact]
    public void EncoderParametersHaveTheHuggingFaceNames()
    {
        var names = fixture.Encoder.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("embeddings.word_embeddings.weight", names);
        Assert.Contains("embeddings.LayerNorm.bias", names);
        Assert.Contains("encoder.layer.3.attention.self.query.weight", names);
        Assert.Contains("encoder.layer.0.attention.output.LayerNorm.weight", names);
        Assert.Contains("encoder.layer.5.intermediate.dense.bias", names);
        Assert.Contains("encoder.layer.5.output.dense.weight", names);
        Assert.Equal(5 + 6 * 16, names.Count);
        Assert.Equal([1536L, 384], fixture.Encoder.named_parameters().Single(p => p.name == "encoder.layer.2.intermediate.dense.weight").parameter.shape);
    }

    [Fact]
    public void CatalogClassifierHasFixedEmbeddingsSixSelectableLayersAndACommonHead()
    {
        torch.manual_seed(5);
        using var model = BuiltIn.Model("minilm", [MiniLmFixture.SeqLen], 3);
        Assert.Equal(["embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2", "encoder.layer.3", "encoder.layer.4", "encoder.layer.5", "head"],
            model.Groups.Select(g => g.Name));
        Assert.Equal([LayerRole.Fixed, .. Enumerable.Repeat(LayerRole.Selectable, 6), LayerRole.Common], model.Groups.Select(g => g.Role));
        var owned = model.Groups.SelectMany(g => g.ParameterNames).ToList();
        Assert.Equal(owned.Count, owned.Distinct().Count());
        Assert.Equal(model.named_parameters().Select(p => p.name).Order(), owned.Order());
        Assert.Equal(["head.bias", "head.weight"], model.Groups[^1].ParameterNames.Order());
        Assert.Equal(11_918_592L, model.Groups[0].ParameterCount);
        Assert.All(model.SelectableGroups, g => Assert.Equal(1_774_464L, g.ParameterCount));
        Assert.Equal(384 * 3 + 3, model.Groups[^1].ParameterCount);
        // one layer at 24 tokens: 4 projections + attention products + feed-forward
        long layerFlops = 2L * 384 * 384 * 4 * 24 + 4L * 24 * 24 * 384 + 2 * 2L * 384 * 1536 * 24;
        Assert.All(model.SelectableGroups, g => Assert.Equal(layerFlops, g.ForwardFlopsPerSample));

        // the pretrained weights arrived, the head is new
        var state = model.state_dict();
        Assert.True(TensorAssert.BitwiseEqual(fixture.Weights["encoder.layer.4.output.dense.weight"], state["encoder.layer.4.output.dense.weight"]));
        model.eval();
        using var ids = fixture.Tokens.Encode(Sentences);
        using var logits = model.forward(ids);
        Assert.Equal([(long)Sentences.Length, 3], logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void CatalogRejectsAnImageShapeAndATooLongSequence()
    {
        var shape = Assert.Throws<UserInputException>(() => BuiltIn.Model("minilm", [1, 28, 28], 2));
        Assert.Contains("minilm", shape.Message);
        var length = Assert.Throws<UserInputException>(() => BuiltIn.Model("minilm", [513], 2));
        Assert.Contains("--max-seq-len", length.Message);
    }

    [Fact]
    public void TrainingTheHeadAndOneLayerLowersTheLossAndLeavesTheRestUnchanged()
    {
        string[] weather = ["the sun is shining and the sky is clear", "heavy rain and strong wind tonight", "snow is falling on the hills",
            "a warm and sunny afternoon", "clouds and light showers expected tomorrow", "the storm brought thunder and hail",
            "a cold frosty morning", "fog will lift by noon"];
        string[] finance = ["the stock market fell sharply today", "shares rose after strong quarterly earnings", "the central bank raised interest rates",
            "investors sold government bonds", "the company reported a loss this year", "oil prices climbed on supply fears",
            "the currency weakened against the dollar", "profits doubled in the last quarter"];
        // these sentences are at most 10 tokens with [CLS] and [SEP]: 12 tokens keep the test fast
        using var ids = MiniLm.CreateTextEncoder(12).Encode([.. weather, .. finance]);
        Assert.True(ids.select(1, 11).eq(0).all().item<bool>(), "a sentence was truncated");
        using var labels = tensor(Enumerable.Repeat(0L, weather.Length).Concat(Enumerable.Repeat(1L, finance.Length)).ToArray());

        torch.manual_seed(11);
        using var model = new BertClassifier(MiniLm.Config, 2, 12);
        BertWeights.Load(model, fixture.Weights, "test");
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var parameters = TrainableGroups.Apply(model, ["encoder.layer.5", "head"]);
        double Loss()
        {
            model.eval();
            using var _ = no_grad();
            using var logits = model.forward(ids);
            return nn.functional.cross_entropy(logits, labels).item<float>();
        }
        double initial = Loss();
        using var optimizer = optim.SGD(parameters, 0.05);
        model.train();
        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(ids), labels).backward();
            optimizer.step();
        }
        double final = Loss();
        output.WriteLine($"loss {initial:F4} -> {final:F4}");
        Assert.True(final < 0.8 * initial, $"loss {initial} -> {final}");

        var after = model.state_dict();
        foreach (var group in model.Groups)
        {
            bool trained = group.Name is "encoder.layer.5" or "head";
            bool changed = group.ParameterNames.Any(n => !before[n].eq(after[n]).all().item<bool>());
            Assert.True(trained == changed, $"group {group.Name}: trained {trained}, changed {changed}");
        }
        foreach (var t in before.Values) t.Dispose();
    }
}
