using FedLayers.Data;
using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// Turns texts into fixed-length rows of XLM-RoBERTa token ids: <c>&lt;s&gt; pieces &lt;/s&gt;</c>, truncated
/// to <see cref="MaxSeqLen"/> tokens (the first MaxSeqLen - 2 pieces are kept), then padded with
/// <c>&lt;pad&gt;</c>. The pieces come from the checkpoint's SentencePiece model
/// (sentencepiece.bpe.model) through Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>,
/// with fairseq's id layout as Hugging Face's XLMRobertaTokenizer uses it: <c>&lt;s&gt;</c> 0,
/// <c>&lt;pad&gt;</c> 1, <c>&lt;/s&gt;</c> 2, <c>&lt;unk&gt;</c> 3, and every other SentencePiece id + 1.
/// <para>
/// The normalisation is what Microsoft.ML.Tokenizers reads from the model (dummy prefix, whitespace
/// handling); a precompiled character map beyond what it supports is not applied.
/// </para>
/// </summary>
public sealed class SentencePieceTextEncoder : ITextEncoder
{
    /// <summary>fairseq's ids, which XLM-R checkpoints are trained with.</summary>
    public const int BosId = 0, PadId = 1, EosId = 2, UnknownId = 3, FairseqOffset = 1;

    private readonly SentencePieceTokenizer _spm;

    private SentencePieceTextEncoder(SentencePieceTokenizer spm, int maxSeqLen)
    {
        _spm = spm;
        MaxSeqLen = maxSeqLen;
    }

    /// <param name="modelPath">a SentencePiece model file (sentencepiece.bpe.model).</param>
    /// <param name="maxSeqLen">length of every encoded row, &lt;s&gt; and &lt;/s&gt; included (at least 2).</param>
    public static SentencePieceTextEncoder FromFile(string modelPath, int maxSeqLen)
    {
        if (maxSeqLen < 2)
            throw new ArgumentOutOfRangeException(nameof(maxSeqLen), $"expected at least 2 tokens (<s> and </s>), got {maxSeqLen}");
        if (!File.Exists(modelPath))
            throw new UserInputException($"{modelPath}: file not found (an XLM-RoBERTa checkpoint needs its SentencePiece model)");
        SentencePieceTokenizer spm;
        try
        {
            using var stream = File.OpenRead(modelPath);
            spm = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not UserInputException)
        {
            throw new UserInputException($"{modelPath}: cannot read the SentencePiece model ({e.Message})");
        }
        return new SentencePieceTextEncoder(spm, maxSeqLen);
    }

    /// <summary>Length of every row <see cref="Encode"/> returns.</summary>
    public int MaxSeqLen { get; }

    /// <summary>Ids the encoder can produce: the SentencePiece pieces shifted by one, plus &lt;pad&gt; (the checkpoint adds &lt;mask&gt; after them).</summary>
    public int VocabSize => _spm.Vocabulary.Count + FairseqOffset;

    /// <summary>The fairseq ids of <paramref name="text"/>'s pieces without special tokens, at most <paramref name="maxTokens"/>.</summary>
    public IReadOnlyList<int> Pieces(string text, int maxTokens = int.MaxValue)
    {
        var ids = _spm.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false, maxTokens, out _, out _);
        return ids.Select(id => id == _spm.UnknownId ? UnknownId : id + FairseqOffset).ToList();
    }

    /// <summary><c>&lt;s&gt; pieces &lt;/s&gt;</c>, truncated to <see cref="MaxSeqLen"/>, not padded.</summary>
    public IReadOnlyList<int> EncodeIds(string text) => TokenRows.Frame(text, MaxSeqLen, BosId, EosId, (t, most) => Pieces(t, most));

    /// <summary>Token ids [texts, <see cref="MaxSeqLen"/>] (int64, on the CPU), padded with <see cref="PadId"/>.</summary>
    public Tensor Encode(IReadOnlyList<string> texts) => TokenRows.Pack(texts, MaxSeqLen, PadId, EncodeIds);
}
