using System.Text;
using FedLayers.Data;
using Microsoft.ML.Tokenizers;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// Turns texts into fixed-length rows of BERT token ids: <c>[CLS] tokens [SEP]</c>, truncated to
/// <see cref="MaxSeqLen"/> tokens (the first MaxSeqLen - 2 word pieces are kept, as Hugging Face
/// truncates), then padded with <c>[PAD]</c>. Uncased BERT tokenization: <see cref="BertTextNormalizer"/>
/// (clean-up, lower case, accents stripped), <see cref="BertPreTokenizer"/> (whitespace and
/// punctuation split), and Microsoft.ML.Tokenizers' <see cref="WordPieceTokenizer"/> for the
/// greedy longest-match word pieces (<c>##</c> continuation prefix, [UNK] for words it cannot
/// cover or longer than 100 characters).
/// <para>
/// Special-token strings in the text (e.g. a literal "[SEP]") are tokenized as ordinary text.
/// </para>
/// </summary>
public sealed class WordPieceTextEncoder : ITextEncoder
{
    private readonly WordPieceTokenizer _wordPiece;

    private WordPieceTextEncoder(WordPieceTokenizer wordPiece, int maxSeqLen, int cls, int sep, int pad, int unknown, int vocabSize)
    {
        _wordPiece = wordPiece;
        MaxSeqLen = maxSeqLen;
        ClsId = cls;
        SepId = sep;
        PadId = pad;
        UnknownId = unknown;
        VocabSize = vocabSize;
    }

    /// <param name="vocab">a WordPiece vocab.txt: one token a line, the line index is the id.</param>
    /// <param name="source">names the vocabulary in error messages.</param>
    /// <param name="maxSeqLen">length of every encoded row, [CLS] and [SEP] included (at least 2).</param>
    public static WordPieceTextEncoder FromVocab(Stream vocab, string source, int maxSeqLen)
    {
        if (maxSeqLen < 2)
            throw new ArgumentOutOfRangeException(nameof(maxSeqLen), $"expected at least 2 tokens ([CLS] and [SEP]), got {maxSeqLen}");
        byte[] bytes;
        using (var buffer = new MemoryStream())
        {
            vocab.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        var lines = Encoding.UTF8.GetString(bytes).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1); // the final newline
        var ids = new Dictionary<string, int>();
        for (int i = 0; i < lines.Count; i++) ids.TryAdd(lines[i], i);
        int Special(string token) => ids.TryGetValue(token, out var id)
            ? id
            : throw new UserInputException($"{source}: the vocabulary has no '{token}' token; expected a BERT WordPiece vocab.txt");
        int cls = Special("[CLS]"), sep = Special("[SEP]"), pad = Special("[PAD]"), unknown = Special("[UNK]");
        var options = new WordPieceOptions
        {
            Normalizer = new BertTextNormalizer(),
            PreTokenizer = new BertPreTokenizer(),
            UnknownToken = "[UNK]",
            ContinuingSubwordPrefix = "##",
            MaxInputCharsPerWord = 100,
        };
        using var stream = new MemoryStream(bytes, writable: false);
        return new WordPieceTextEncoder(WordPieceTokenizer.Create(stream, options), maxSeqLen, cls, sep, pad, unknown, lines.Count);
    }

    /// <summary>Length of every row <see cref="Encode"/> returns.</summary>
    public int MaxSeqLen { get; }

    /// <summary>The id of [CLS], first in every row.</summary>
    public int ClsId { get; }

    /// <summary>The id of [SEP], after the word pieces.</summary>
    public int SepId { get; }

    /// <summary>The padding id; a model must treat exactly these positions as padding.</summary>
    public int PadId { get; }

    /// <summary>The id of [UNK], for words the vocabulary cannot cover.</summary>
    public int UnknownId { get; }

    /// <summary>The number of lines of vocab.txt (ids run 0 .. VocabSize - 1).</summary>
    public int VocabSize { get; }

    /// <summary>The word-piece ids of <paramref name="text"/> without special tokens, at most <paramref name="maxTokens"/>.</summary>
    public IReadOnlyList<int> WordPieces(string text, int maxTokens = int.MaxValue)
    {
        // Only a prefix of a long text can matter: tokenize prefixes cut at whitespace (where BERT
        // splits words anyway, so a prefix's pieces are the first pieces of the whole text),
        // growing until enough pieces come out or the whole text was read.
        for (long chars = Math.Max(64, 8L * Math.Min(maxTokens, 1 << 20)); ; chars *= 4)
        {
            if (chars >= text.Length)
                return Take(_wordPiece.EncodeToIds(text), maxTokens);
            int cut = text.AsSpan(0, (int)chars).LastIndexOfAny(" \t\n\r");
            if (cut <= 0) continue;
            var ids = _wordPiece.EncodeToIds(text[..cut]);
            if (ids.Count >= maxTokens) return Take(ids, maxTokens);
        }
    }

    /// <summary><c>[CLS] pieces [SEP]</c>, truncated to <see cref="MaxSeqLen"/>, not padded.</summary>
    public IReadOnlyList<int> EncodeIds(string text) => TokenRows.Frame(text, MaxSeqLen, ClsId, SepId, (t, most) => WordPieces(t, most));

    /// <summary>Token ids [texts, <see cref="MaxSeqLen"/>] (int64, on the CPU), padded with <see cref="PadId"/>.</summary>
    public Tensor Encode(IReadOnlyList<string> texts) => TokenRows.Pack(texts, MaxSeqLen, PadId, EncodeIds);

    private static IReadOnlyList<int> Take(IReadOnlyList<int> ids, int count) => ids.Count <= count ? ids : ids.Take(count).ToList();
}
