using System.Text.Json;
using System.Text.RegularExpressions;
using FedLayers.Data;
using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// Turns texts into fixed-length rows of RoBERTa token ids: <c>&lt;s&gt; pieces &lt;/s&gt;</c>, truncated to
/// <see cref="MaxSeqLen"/> tokens (the first MaxSeqLen - 2 pieces are kept), then padded with
/// <c>&lt;pad&gt;</c>. The pieces are GPT-2 style byte-level BPE over a Hugging Face vocab.json and
/// merges.txt, as RobertaTokenizer makes them without a prefix space (its default): the text is
/// split by GPT-2's pre-tokenization pattern (<see cref="Gpt2Split"/>), then Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/> in byte-level mode maps each piece's UTF-8 bytes to the byte-level
/// alphabet (a space becomes 'Ġ') and applies the merges. Special-token strings in the text are
/// tokenized as ordinary text.
/// </summary>
public sealed class ByteLevelBpeTextEncoder : ITextEncoder
{
    private readonly BpeTokenizer _bpe;

    /// <summary>GPT-2's pre-tokenization (used by RoBERTa): English contractions, letters, digits and other
    /// symbols each with an optional leading space, and runs of whitespace.</summary>
    public static readonly Regex Gpt2Split = new(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.Compiled);

    private ByteLevelBpeTextEncoder(BpeTokenizer bpe, int maxSeqLen, int bos, int eos, int pad, int vocabSize)
    {
        _bpe = bpe;
        MaxSeqLen = maxSeqLen;
        BosId = bos;
        EosId = eos;
        PadId = pad;
        VocabSize = vocabSize;
    }

    /// <param name="vocabPath">vocab.json: token string -> id.</param>
    /// <param name="mergesPath">merges.txt: one merge "a b" a line, by priority (a "#version" first line is skipped).</param>
    /// <param name="maxSeqLen">length of every encoded row, &lt;s&gt; and &lt;/s&gt; included (at least 2).</param>
    public static ByteLevelBpeTextEncoder FromFiles(string vocabPath, string mergesPath, int maxSeqLen)
    {
        if (maxSeqLen < 2)
            throw new ArgumentOutOfRangeException(nameof(maxSeqLen), $"expected at least 2 tokens (<s> and </s>), got {maxSeqLen}");
        foreach (var path in new[] { vocabPath, mergesPath })
            if (!File.Exists(path))
                throw new UserInputException($"{path}: file not found (a RoBERTa checkpoint needs its byte-level BPE vocab.json and merges.txt)");
        byte[] vocabBytes = File.ReadAllBytes(vocabPath);
        Dictionary<string, int> vocab;
        try
        {
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(vocabBytes)
                    ?? throw new UserInputException($"{vocabPath}: expected a JSON object of token -> id");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{vocabPath}: not a JSON object of token -> id ({e.Message})");
        }
        int Special(string token) => vocab.TryGetValue(token, out var id)
            ? id
            : throw new UserInputException($"{vocabPath}: the vocabulary has no '{token}' token; expected a RoBERTa vocab.json");
        int bos = Special("<s>"), eos = Special("</s>"), pad = Special("<pad>");
        Special("<unk>");
        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(vocabPath, mergesPath)
            {
                ByteLevel = true,
                PreTokenizer = new RegexPreTokenizer(Gpt2Split, null),
                UnknownToken = "<unk>",
            });
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw new UserInputException($"{mergesPath}: cannot read the byte-level BPE vocabulary and merges ({e.Message})");
        }
        return new ByteLevelBpeTextEncoder(bpe, maxSeqLen, bos, eos, pad, vocab.Count == 0 ? 0 : vocab.Values.Max() + 1);
    }

    /// <summary>Length of every row <see cref="Encode"/> returns.</summary>
    public int MaxSeqLen { get; }

    /// <summary>The id of &lt;s&gt;, first in every row.</summary>
    public int BosId { get; }

    /// <summary>The id of &lt;/s&gt;, after the pieces.</summary>
    public int EosId { get; }

    /// <summary>The padding id; a model must treat exactly these positions as padding.</summary>
    public int PadId { get; }
    /// <summary>One more than the largest id of vocab.json.</summary>
    public int VocabSize { get; }

    /// <summary>The BPE ids of <paramref name="text"/> without special tokens, at most <paramref name="maxTokens"/>.</summary>
    public IReadOnlyList<int> Pieces(string text, int maxTokens = int.MaxValue)
    {
        var ids = _bpe.EncodeToIds(text, maxTokens, out _, out _);
        return ids;
    }

    /// <summary><c>&lt;s&gt; pieces &lt;/s&gt;</c>, truncated to <see cref="MaxSeqLen"/>, not padded.</summary>
    public IReadOnlyList<int> EncodeIds(string text) => TokenRows.Frame(text, MaxSeqLen, BosId, EosId, (t, most) => Pieces(t, most));

    /// <summary>Token ids [texts, <see cref="MaxSeqLen"/>] (int64, on the CPU), padded with <see cref="PadId"/>.</summary>
    public Tensor Encode(IReadOnlyList<string> texts) => TokenRows.Pack(texts, MaxSeqLen, PadId, EncodeIds);
}
