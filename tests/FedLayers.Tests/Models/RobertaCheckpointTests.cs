using System.Text.Json;
using System.Text.Json.Nodes;
using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Models.Bert;
using FedLayers.Tests.Cli;
using FedLayers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>Tiny random RoBERTa checkpoints in exactly the Hugging Face layout, loaded with --model hf:PATH.</summary>
public class RobertaCheckpointTests
{
    private static readonly string[] Words = ["win", "free", "money", "offer", "meeting", "agenda", "project", "report", "now", "team"];
    private const string Space = "\u0120"; // 'Ġ', the byte-level BPE character for a space

    private static BertConfig Shape(int vocabSize) => new(VocabSize: vocabSize, HiddenSize: 16, NumHiddenLayers: 3, NumAttentionHeads: 2,
        IntermediateSize: 32, MaxPositionEmbeddings: 66, TypeVocabSize: 1, LayerNormEps: 1e-5, HiddenDropoutProb: 0,
        AttentionProbsDropoutProb: 0, PadTokenId: 1, PositionIdsFromPadding: true);

    private static JsonObject Config(int vocabSize) => new()
    {
        ["model_type"] = "roberta", ["vocab_size"] = vocabSize, ["hidden_size"] = 16, ["num_hidden_layers"] = 3,
        ["num_attention_heads"] = 2, ["intermediate_size"] = 32, ["max_position_embeddings"] = 66, ["type_vocab_size"] = 1,
        ["layer_norm_eps"] = 1e-5, ["hidden_act"] = "gelu", ["pad_token_id"] = 1, ["bos_token_id"] = 0, ["eos_token_id"] = 2,
    };

    /// <summary>A byte-level BPE vocabulary for <see cref="Words"/>: the special tokens, every character (and Ġ),
    /// left-to-right merges that build each word, then a merge "Ġ word" for each word after a space.</summary>
    private static (List<string> Vocab, List<string> Merges) WordVocabulary()
    {
        var vocab = new List<string> { "<s>", "<pad>", "</s>", "<unk>", Space };
        vocab.AddRange(Words.SelectMany(w => w).Distinct().Order().Select(c => c.ToString()));
        var merges = new List<string>();
        foreach (var word in Words)
        {
            string left = word[..1];
            foreach (char c in word[1..])
            {
                string merge = $"{left} {c}";
                left += c;
                if (merges.Contains(merge)) continue;
                merges.Add(merge);
                if (!vocab.Contains(left)) vocab.Add(left);
            }
        }
        foreach (var word in Words)
        {
            merges.Add($"{Space} {word}");
            vocab.Add(Space + word);
        }
        return (vocab, merges);
    }

    /// <summary>Writes config.json, vocab.json, merges.txt and model.safetensors (as RobertaForMaskedLM saves them: a
    /// "roberta." prefix, position_ids, a pooler and an lm_head) and returns the encoder tensors by classifier name.</summary>
    private static Dictionary<string, Tensor> WriteCheckpoint(string folder, IReadOnlyList<string> vocab, IReadOnlyList<string> merges)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), Config(vocab.Count).ToJsonString());
        var vocabJson = new JsonObject();
        for (int i = 0; i < vocab.Count; i++) vocabJson[vocab[i]] = i;
        File.WriteAllText(Path.Combine(folder, "vocab.json"), vocabJson.ToJsonString());
        File.WriteAllLines(Path.Combine(folder, "merges.txt"), ["#version: 0.2", .. merges]);
        torch.manual_seed(11);
        using var encoder = new BertModel(Shape(vocab.Count));
        var tensors = encoder.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
        var file = tensors.ToDictionary(e => "roberta." + e.Key, e => e.Value);
        file["roberta.pooler.dense.weight"] = randn(16, 16);
        file["roberta.pooler.dense.bias"] = zeros(16);
        file["lm_head.dense.weight"] = randn(16, 16);
        file["lm_head.dense.bias"] = zeros(16);
        file["lm_head.layer_norm.weight"] = ones(16);
        file["lm_head.layer_norm.bias"] = zeros(16);
        file["lm_head.bias"] = zeros(vocab.Count);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), file);
        return tensors;
    }

    /// <summary>A hand-made vocabulary: merges "a b" (rank 0), "ab c" (rank 1), "Ġ ab" (rank 2).</summary>
    private static readonly string[] HandVocab = ["<s>", "<pad>", "</s>", "<unk>", "a", "b", "c", Space, "ab", "abc", Space + "ab"];
    private static readonly string[] HandMerges = ["a b", "ab c", Space + " ab"];

    [Fact]
    public void LoadsEveryEncoderTensorBitwiseAndKeepsANewHead()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = WordVocabulary();
        var tensors = WriteCheckpoint(folder.Path("roberta"), vocab, merges);
        using var model = BuiltIn.Model($"hf:{folder.Path("roberta")}", [12], 3);
        var state = model.state_dict();
        foreach (var (name, value) in tensors)
            Assert.True(TensorAssert.BitwiseEqual(state[name], value), name);
        Assert.Equal(tensors.Count + 2, state.Count); // plus head.weight and head.bias
        Assert.Equal(["embeddings", "encoder.layer.0", "encoder.layer.1", "encoder.layer.2", "head"], model.Groups.Select(g => g.Name));
        var bert = Assert.IsType<BertClassifier>(model);
        Assert.True(bert.Config.PositionIdsFromPadding);
        Assert.Equal(1, bert.Config.PadTokenId);
        Assert.Equal(1e-5, bert.Config.LayerNormEps);

        // every word of the generated vocabulary is one piece, alone and after a space
        var encoder = (ByteLevelBpeTextEncoder)HuggingFaceModels.CreateTextEncoder(folder.Path("roberta"), 12);
        foreach (var word in Words)
        {
            Assert.Equal([vocab.IndexOf(word)], encoder.Pieces(word));
            Assert.Equal([vocab.IndexOf(word), vocab.IndexOf(Space + word)], encoder.Pieces($"{word} {word}"));
        }
    }

    [Fact]
    public void TheTokenizerEncodesAKnownStringToHandComputedIds()
    {
        using var folder = new TempFolder();
        WriteCheckpoint(folder.Path("roberta"), HandVocab, HandMerges);
        var encoder = BuiltIn.TextEncoder($"hf:{folder.Path("roberta")}", 8);
        // "abc" -> a b c -> ab c -> abc (9); " ab" -> Ġ a b -> Ġ ab -> Ġab (10); " cab" -> Ġ c a b -> Ġ c ab (7, 6, 8); "ba" -> b a (5, 4)
        using var ids = encoder.Encode(["abc ab", "abc cab ba", "abc ab ab ab ab ab ab"]);
        Assert.Equal([0L, 9, 10, 2, 1, 1, 1, 1], ids[0].data<long>().ToArray());
        Assert.Equal([0L, 9, 7, 6, 8, 7, 5, 2], ids[1].data<long>().ToArray()); // truncated to 6 pieces: "Ġ b a" loses its 'a'
        Assert.Equal([0L, 9, 10, 10, 10, 10, 10, 2], ids[2].data<long>().ToArray());
    }

    [Fact]
    public void ACheckpointWithOnlyTokenizerJsonEncodesTheSameIds()
    {
        using var folder = new TempFolder();
        string path = folder.Path("roberta");
        WriteCheckpoint(path, HandVocab, HandMerges);
        using var expected = BuiltIn.TextEncoder($"hf:{path}", 8).Encode(["abc ab", "abc cab ba"]);
        var vocab = new JsonObject();
        for (int i = 0; i < HandVocab.Length; i++) vocab[HandVocab[i]] = i;
        // newer tokenizers.json files write merges as pairs
        var merges = new JsonArray(HandMerges.Select(m => (JsonNode)new JsonArray(m.Split(' ')[0], m.Split(' ')[1])).ToArray());
        File.WriteAllText(Path.Combine(path, "tokenizer.json"),
            new JsonObject { ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = merges } }.ToJsonString());
        File.Delete(Path.Combine(path, "vocab.json"));
        File.Delete(Path.Combine(path, "merges.txt"));
        using var actual = BuiltIn.TextEncoder($"hf:{path}", 8).Encode(["abc ab", "abc cab ba"]);
        Assert.Equal(expected.data<long>().ToArray(), actual.data<long>().ToArray());
    }

    [Fact]
    public void PositionIdsFollowHuggingFacesRuleForAPaddedBatch()
    {
        using var ids = tensor(new long[] { 0, 5, 6, 2, 1, 1, 0, 5, 2, 1, 1, 1, 0, 1, 5, 2, 1, 1 }, [3, 6]);
        using var positions = BertEmbeddings.PositionIds(ids, padTokenId: 1);
        // real tokens count from pad + 1 = 2 over the real tokens only; padding sits at position 1 (the pad)
        Assert.Equal([2L, 3, 4, 5, 1, 1, 2, 3, 4, 1, 1, 1, 2, 1, 3, 4, 1, 1], positions.data<long>().ToArray());
    }

    [Fact]
    public void EmbeddingsAddTheWordPositionAndTypeRowsHuggingFaceWould()
    {
        torch.manual_seed(3);
        var shape = Shape(12);
        using var embeddings = new BertEmbeddings(shape);
        embeddings.eval();
        var state = embeddings.state_dict();
        using var ids = tensor(new long[] { 0, 7, 4, 2, 1 }, [1, 5]);
        using var actual = embeddings.forward(ids);
        using var positions = tensor(new long[] { 2, 3, 4, 5, 1 });
        using var sum = state["word_embeddings.weight"].index_select(0, ids[0]) + state["position_embeddings.weight"].index_select(0, positions)
                        + state["token_type_embeddings.weight"][0];
        using var expected = nn.functional.layer_norm(sum, [16], state["LayerNorm.weight"], state["LayerNorm.bias"], 1e-5);
        Assert.True(actual[0].allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void APaddedRowGivesTheSameOutputAsTheRowUnpadded()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = WordVocabulary();
        WriteCheckpoint(folder.Path("roberta"), vocab, merges);
        using var model = BuiltIn.Model($"hf:{folder.Path("roberta")}", [16], 2);
        model.eval();
        using var noGrad = no_grad();
        using var padded = tensor(new long[] { 0, 7, 9, 11, 2, 1, 1, 1, 0, 8, 2, 1, 1, 1, 1, 1 }, [2, 8]);
        using var unpadded = tensor(new long[] { 0, 7, 9, 11, 2 }, [1, 5]);
        using var batchLogits = model.forward(padded);
        using var aloneLogits = model.forward(unpadded);
        Assert.True(batchLogits[0].allclose(aloneLogits[0], rtol: 0, atol: 1e-5), $"{batchLogits[0].str()} vs {aloneLogits[0].str()}");

        // the encoder's hidden states too, token by token
        var bert = new BertModel(Shape(vocab.Count));
        foreach (var (name, value) in model.state_dict().Where(e => !e.Key.StartsWith("head.")))
            bert.state_dict()[name].copy_(value);
        bert.eval();
        using var hiddenPadded = bert.forward(padded, padded.ne(1));
        using var hiddenAlone = bert.forward(unpadded, unpadded.ne(1));
        Assert.True(hiddenPadded[0, ..5].allclose(hiddenAlone[0], rtol: 0, atol: 1e-5));
        bert.Dispose();
    }

    [Fact]
    public void AMissingMergesFileIsNamed()
    {
        using var folder = new TempFolder();
        WriteCheckpoint(folder.Path("roberta"), HandVocab, HandMerges);
        File.Delete(folder.Path("roberta", "merges.txt"));
        var error = Assert.Throws<UserInputException>(() => BuiltIn.TextEncoder($"hf:{folder.Path("roberta")}", 8));
        Assert.Contains("merges.txt", error.Message);
    }

    /// <summary>A hand-made SentencePiece BPE model (the protobuf ModelProto of sentencepiece_model.proto) in XLM-R's
    /// layout: &lt;unk&gt; 0, &lt;s&gt; 1, &lt;/s&gt; 2, then the pieces; a merge's priority is its piece's score.</summary>
    private static byte[] SentencePieceModel()
    {
        (string Piece, float Score, int Type)[] pieces =
        [
            ("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), // UNKNOWN, CONTROL, CONTROL
            ("a", 0, 1), ("b", 0, 1), ("c", 0, 1), ("\u2581", 0, 1), ("ab", -1, 1), ("\u2581ab", -2, 1), ("abc", -3, 1), // NORMAL
        ];
        var model = new List<byte>();
        foreach (var (piece, score, type) in pieces)
        {
            var message = new List<byte>();
            Bytes(message, 1, System.Text.Encoding.UTF8.GetBytes(piece));
            message.Add((2 << 3) | 5);
            message.AddRange(BitConverter.GetBytes(score));
            Varint(message, 3, type);
            Bytes(model, 1, [.. message]);
        }
        var trainer = new List<byte>();
        Varint(trainer, 3, 2); // model_type BPE
        Varint(trainer, 40, 0); // unk_id
        Varint(trainer, 41, 1); // bos_id
        Varint(trainer, 42, 2); // eos_id
        Varint(trainer, 43, -1); // pad_id: none
        Bytes(model, 2, [.. trainer]);
        var normalizer = new List<byte>();
        Bytes(normalizer, 1, "identity"u8.ToArray());
        Varint(normalizer, 3, 1); // add_dummy_prefix
        Varint(normalizer, 4, 1); // remove_extra_whitespaces
        Varint(normalizer, 5, 1); // escape_whitespaces
        Bytes(model, 3, [.. normalizer]);
        return [.. model];

        static void Raw(List<byte> into, ulong value)
        {
            do
            {
                byte b = (byte)(value & 0x7F);
                value >>= 7;
                into.Add(value == 0 ? b : (byte)(b | 0x80));
            } while (value != 0);
        }
        static void Varint(List<byte> into, int field, long value)
        {
            Raw(into, (ulong)(field << 3));
            Raw(into, unchecked((ulong)value));
        }
        static void Bytes(List<byte> into, int field, byte[] value)
        {
            Raw(into, (ulong)((field << 3) | 2));
            Raw(into, (ulong)value.Length);
            into.AddRange(value);
        }
    }

    /// <summary>An XLM-R checkpoint: the RoBERTa tensors and config with model_type xlm-roberta, and sentencepiece.bpe.model
    /// instead of vocab.json and merges.txt. The vocabulary is the 10 pieces + 1 (fairseq offset) + &lt;mask&gt;.</summary>
    private static Dictionary<string, Tensor> WriteXlmCheckpoint(string folder)
    {
        string[] vocab = [.. Enumerable.Range(0, 12).Select(i => $"t{i}")];
        var tensors = WriteCheckpoint(folder, vocab, []);
        File.Delete(Path.Combine(folder, "vocab.json"));
        File.Delete(Path.Combine(folder, "merges.txt"));
        var config = Config(vocab.Length);
        config["model_type"] = "xlm-roberta";
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        File.WriteAllBytes(Path.Combine(folder, "sentencepiece.bpe.model"), SentencePieceModel());
        return tensors;
    }

    [Fact]
    public void XlmRobertaLoadsBitwiseAndEncodesWithFairseqIds()
    {
        using var folder = new TempFolder();
        var tensors = WriteXlmCheckpoint(folder.Path("xlmr"));
        using var model = BuiltIn.Model($"hf:{folder.Path("xlmr")}", [8], 2);
        var state = model.state_dict();
        foreach (var (name, value) in tensors)
            Assert.True(TensorAssert.BitwiseEqual(state[name], value), name);
        Assert.True(Assert.IsType<BertClassifier>(model).Config.PositionIdsFromPadding);

        var encoder = BuiltIn.TextEncoder($"hf:{folder.Path("xlmr")}", 8);
        // "abc ab" -> ▁ a b c ▁ a b; merges by score: ab (-1) twice, then ▁ab (-2) twice -> ▁ab c ▁ab: spm 8 5 8, fairseq 9 6 9
        // "abz" -> ▁ab z, z unknown: spm 8 0 -> fairseq 9 3 (<unk>)
        using var ids = encoder.Encode(["abc ab", "abz", "ab ab ab ab ab ab ab"]);
        Assert.Equal([0L, 9, 6, 9, 2, 1, 1, 1], ids[0].data<long>().ToArray());
        Assert.Equal([0L, 9, 3, 2, 1, 1, 1, 1], ids[1].data<long>().ToArray());
        Assert.Equal([0L, 9, 9, 9, 9, 9, 9, 2], ids[2].data<long>().ToArray());
    }

    [Fact]
    public void SimulateFineTunesAnXlmRobertaCheckpointOnATextFile()
    {
        using var folder = new TempFolder();
        WriteXlmCheckpoint(folder.Path("xlmr"));
        TextCheckpointRun.AssertLearns(folder, folder.Path("xlmr"), [["ab", "abc", "aab", "abab"], ["c", "cc", "ca", "cca"]],
            wordsPerText: 4, maxSeqLen: 12, rounds: 6, seed: 4);
    }

    [Fact]
    public void APrefixSpaceTokenizerIsRefused()
    {
        using var folder = new TempFolder();
        WriteCheckpoint(folder.Path("roberta"), HandVocab, HandMerges);
        File.WriteAllText(folder.Path("roberta", "tokenizer_config.json"), new JsonObject { ["add_prefix_space"] = true }.ToJsonString());
        var error = Assert.Throws<UserInputException>(() => BuiltIn.TextEncoder($"hf:{folder.Path("roberta")}", 8));
        Assert.Contains("add_prefix_space", error.Message);
    }

    [Fact]
    public void AMissingSentencePieceModelIsNamed()
    {
        using var folder = new TempFolder();
        WriteXlmCheckpoint(folder.Path("xlmr"));
        File.Delete(folder.Path("xlmr", "sentencepiece.bpe.model"));
        var error = Assert.Throws<UserInputException>(() => BuiltIn.TextEncoder($"hf:{folder.Path("xlmr")}", 8));
        Assert.Contains("sentencepiece.bpe.model", error.Message);
    }

    [Fact]
    public void SimulateFineTunesARobertaCheckpointOnATextFile()
    {
        using var folder = new TempFolder();
        var (vocab, merges) = WordVocabulary();
        WriteCheckpoint(folder.Path("roberta"), vocab, merges);
        TextCheckpointRun.AssertLearns(folder, folder.Path("roberta"), [Words[..4], Words[4..8]], wordsPerText: 6, maxSeqLen: 10, rounds: 6, seed: 2);
    }
}
