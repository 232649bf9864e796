using System.Text.Json;
using System.Text.Json.Nodes;
using FedLayers.Models;
using FedLayers.Models.Bert;
using FedLayers.Tests.Cli;
using FedLayers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>Tiny random BERT checkpoints in exactly the Hugging Face layout, loaded with --model hf:PATH.</summary>
public class BertCheckpointTests
{
    private static readonly string[] Words = ["win", "free", "money", "offer", "meeting", "agenda", "project", "report", "now", "team"];

    private static JsonObject Config() => new()
    {
        ["model_type"] = "bert", ["vocab_size"] = 5 + Words.Length, ["hidden_size"] = 16, ["num_hidden_layers"] = 3,
        ["num_attention_heads"] = 2, ["intermediate_size"] = 32, ["max_position_embeddings"] = 64, ["type_vocab_size"] = 2,
        ["layer_norm_eps"] = 1e-12, ["hidden_act"] = "gelu", ["pad_token_id"] = 0,
    };

    /// <summary>Writes config.json, vocab.txt and model.safetensors (as BertForSequenceClassification saves them:
    /// a "bert." prefix, a pooler and a classifier) and returns the encoder tensors by classifier name.</summary>
    private static Dictionary<string, Tensor> WriteCheckpoint(string folder, JsonObject config, bool lowerCase = true)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Words]);
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), new JsonObject { ["do_lower_case"] = lowerCase }.ToJsonString());
        torch.manual_seed(9);
        var shape = new BertConfig(VocabSize: 15, HiddenSize: 16, NumHiddenLayers: 3, NumAttentionHeads: 2, IntermediateSize: 32, MaxPositionEmbeddings: 64);
        using var encoder = new BertModel(shape);
        var tensors = encoder.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
        var file = tensors.ToDictionary(e => "bert." + e.Key, e => e.Value);
        file["bert.pooler.dense.weight"] = randn(16, 16);
        file["bert.pooler.dense.bias"] = zeros(16);
        file["classifier.weight"] = randn(2, 16);
        file["classifier.bias"] = zeros(2);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), file);
        return tensors;
    }

    [Fact]
    public void LoadsEveryEncoderTensorBitwiseAndKeepsANewHead()
    {
        using var folder = new TempFolder();
        var tensors = WriteCheckpoint(folder.Path("bert"), Config());
        using var model = BuiltIn.Model($"hf:{folder.Path("bert")}", [12], 3);
        var state = model.state_dict();
        foreach (var (name, value) in tensors)
            Assert.True(TensorAssert.BitwiseEqual(state[name], value), name);
        Assert.Equal(["embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2", "head"], model.Groups.Select(g => g.Name));
        Assert.Equal([3L], state["head.bias"].shape);
        var encoder = BuiltIn.TextEncoder($"hf:{folder.Path("bert")}", 12);
        using var ids = encoder.Encode(["Win FREE money", "team meeting"]);
        Assert.Equal([2L, 5, 6, 7, 3, 0, 0, 0, 0, 0, 0, 0], ids[0].data<long>().ToArray()); // [CLS] win free money [SEP] [PAD]...
    }

    [Fact]
    public void ACheckpointWithOnlyTokenizerJsonEncodesTheSameIds()
    {
        using var folder = new TempFolder();
        string path = folder.Path("bert");
        WriteCheckpoint(path, Config());
        using var expected = BuiltIn.TextEncoder($"hf:{path}", 12).Encode(["Win FREE money", "team meeting now"]);
        string[] tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", .. Words];
        var vocab = new JsonObject();
        for (int i = tokens.Length - 1; i >= 0; i--) vocab[tokens[i]] = i; // any order: ids decide
        File.WriteAllText(Path.Combine(path, "tokenizer.json"),
            new JsonObject { ["model"] = new JsonObject { ["type"] = "WordPiece", ["vocab"] = vocab } }.ToJsonString());
        File.Delete(Path.Combine(path, "vocab.txt"));
        using var actual = BuiltIn.TextEncoder($"hf:{path}", 12).Encode(["Win FREE money", "team meeting now"]);
        Assert.Equal(expected.data<long>().ToArray(), actual.data<long>().ToArray());

        File.WriteAllText(Path.Combine(path, "tokenizer.json"), """{ "model": { "type": "Unigram", "vocab": [] } }""");
        var error = Assert.Throws<UserInputException>(() => BuiltIn.TextEncoder($"hf:{path}", 12));
        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("Unigram", error.Message);
    }

    [Fact]
    public void ATensorThatDisagreesWithConfigJsonIsNamed()
    {
        using var folder = new TempFolder();
        var config = Config();
        WriteCheckpoint(folder.Path("bert"), config);
        config["intermediate_size"] = 48;
        File.WriteAllText(folder.Path("bert", "config.json"), config.ToJsonString());
        var error = Assert.Throws<UserInputException>(() => BuiltIn.Model($"hf:{folder.Path("bert")}", [12], 2));
        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains("intermediate.dense", error.Message);
    }

    [Fact]
    public void AMissingConfigFieldAndACasedVocabularyAreNamed()
    {
        using var folder = new TempFolder();
        var config = Config();
        config.Remove("num_attention_heads");
        WriteCheckpoint(folder.Path("a"), config);
        var missing = Assert.Throws<UserInputException>(() => BuiltIn.Model($"hf:{folder.Path("a")}", [12], 2));
        Assert.Contains("num_attention_heads", missing.Message);

        WriteCheckpoint(folder.Path("b"), Config(), lowerCase: false);
        var cased = Assert.Throws<UserInputException>(() => BuiltIn.TextEncoder($"hf:{folder.Path("b")}", 12));
        Assert.Contains("do_lower_case", cased.Message);
    }

    [Fact]
    public void SimulateFineTunesABertCheckpointOnATextFile()
    {
        using var folder = new TempFolder();
        WriteCheckpoint(folder.Path("bert"), Config());
        TextCheckpointRun.AssertLearns(folder, folder.Path("bert"), [Words[..4], Words[4..8]], wordsPerText: 6, maxSeqLen: 10, rounds: 3, seed: 2);
    }
}
