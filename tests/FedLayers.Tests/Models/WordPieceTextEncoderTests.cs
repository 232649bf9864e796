using System.Text;
using FedLayers.Data;
using FedLayers.Models.Bert;
using FedLayers.Weights;

namespace FedLayers.Tests.Models;

/// <summary>The uncased WordPiece encoder on the packaged bert-base-uncased vocabulary (30,522 tokens).
/// Expected ids are looked up in that vocabulary, so the tests say which token each id is.</summary>
public class WordPieceTextEncoderTests
{
    private static readonly string[] Vocab = ReadVocab();
    private static readonly WordPieceTextEncoder Encoder = Create(16);

    private static string[] ReadVocab()
    {
        using var reader = new StreamReader(MiniLmPackage.OpenVocab());
        return reader.ReadToEnd().Split('\n')[..^1].Select(line => line.TrimEnd('\r')).ToArray(); // the file has CRLF line ends
    }

    private static WordPieceTextEncoder Create(int maxSeqLen)
    {
        using var vocab = MiniLmPackage.OpenVocab();
        return WordPieceTextEncoder.FromVocab(vocab, MiniLmPackage.VocabSource, maxSeqLen);
    }

    private static int Id(string token) => Array.IndexOf(Vocab, token) is var id and >= 0 ? id : throw new ArgumentException(token);

    private static string[] Tokens(IEnumerable<int> ids) => ids.Select(i => Vocab[i]).ToArray();

    [Fact]
    public void HelloWorldGivesTheBertUncasedIds()
    {
        Assert.Equal([101, 7592, 2088, 102], Encoder.EncodeIds("hello world"));
        Assert.Equal(["[CLS]", "hello", "world", "[SEP]"], Tokens(Encoder.EncodeIds("Hello World")));
        Assert.Equal((101, 102, 0, 100, 30522), (Encoder.ClsId, Encoder.SepId, Encoder.PadId, Encoder.UnknownId, Encoder.VocabSize));
    }

    [Fact]
    public void SplitsWordsIntoPiecesAndPunctuation()
    {
        Assert.Equal(["token", "##ization", "is", "un", "##bel", "##ie", "##va", "##bly", "hard", "!"],
            Tokens(Encoder.WordPieces("Tokenization is unbelievably hard!")));
        Assert.Equal(["don", "'", "t", "stop", ",", "3", ".", "14"], Tokens(Encoder.WordPieces("don't stop, 3.14")));
    }

    [Fact]
    public void LineBreaksAndTabsSeparateWords()
    {
        // Microsoft.ML.Tokenizers' own BertTokenizer 2.0.1 deletes these and glues "hello##world"
        Assert.Equal(Encoder.EncodeIds("hello world again"), Encoder.EncodeIds("hello\nworld\r\nagain"));
        Assert.Equal(Encoder.EncodeIds("hello world"), Encoder.EncodeIds("hello\tworld"));
    }

    [Fact]
    public void SymbolsAreKeptAsTokensOfTheirOwn()
    {
        // Microsoft.ML.Tokenizers' own BertTokenizer 2.0.1 drops $ + = < > silently
        Assert.Equal(["win", "$", "100", "+", "<", "b", ">"], Tokens(Encoder.WordPieces("Win $100+<b>")));
    }

    [Fact]
    public void AccentsAreStrippedAndControlCharactersRemoved()
    {
        // string.Normalize does nothing under InvariantGlobalization: this would give [UNK] [UNK] vu
        Assert.Equal(["cafe", "de", "##ja", "vu"], Tokens(Encoder.WordPieces("Café déjà\u00a0vu")));
        Assert.Equal(Encoder.WordPieces("cafe"), Encoder.WordPieces("cafe\u0301")); // an already decomposed accent
        Assert.Equal(Encoder.WordPieces("istanbul"), Encoder.WordPieces("İSTANBUL"));
        Assert.Equal(["ᄒ", "##ᅡ", "##ᆫ"], Tokens(Encoder.WordPieces("한"))); // Hangul syllables decompose into jamo
        Assert.Equal(Encoder.EncodeIds("hello"), Encoder.EncodeIds("hel\u0000lo\u200b"));
        Assert.Equal(["日", "本"], Tokens(Encoder.WordPieces("日本")));
    }

    [Fact]
    public void TruncatesToMaxSeqLenKeepingTheFirstPiecesAndPadsWithZero()
    {
        var encoder = Create(6);
        // [CLS] + 4 pieces + [SEP]; the cut falls inside "unbelievably", as Hugging Face truncation does
        Assert.Equal([101, Id("token"), Id("##ization"), Id("is"), Id("un"), 102], encoder.EncodeIds("Tokenization is unbelievably hard"));
        using var ids = encoder.Encode(["hello world", "", "tokenization is unbelievably hard"]);
        Assert.Equal([3L, 6], ids.shape);
        Assert.Equal([101L, 7592, 2088, 102, 0, 0, 101, 102, 0, 0, 0, 0, 101, Id("token"), Id("##ization"), Id("is"), Id("un"), 102],
            ids.data<long>().ToArray());
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, ids.dtype);
    }

    [Fact]
    public void ALongTextGivesTheSamePiecesAsItsFullTokenization()
    {
        var words = Enumerable.Range(0, 3000).Select(i => i % 7 == 0 ? "unbelievably" : i % 5 == 0 ? "$5" : "word").ToList();
        string[] texts =
        [
            string.Join(" ", words),
            new string(' ', 5000) + string.Join("\n", words),          // whitespace first: the short prefixes hold no pieces
            new string('x', 3000) + " " + string.Join(" ", words),    // a first word longer than any prefix cut
            string.Concat(Enumerable.Repeat("tokenization", 500)),   // one huge word: [UNK]
        ];
        foreach (var text in texts)
        {
            var all = Encoder.WordPieces(text);
            foreach (int k in new[] { 1, 14, 126, 510 })
                Assert.Equal(all.Take(k), Encoder.WordPieces(text, k));
        }
        Assert.Equal([Encoder.UnknownId], Encoder.WordPieces(texts[3]));
    }

    [Fact]
    public void BadSettingsAndVocabulariesAreNamed()
    {
        var length = Assert.Throws<ArgumentOutOfRangeException>(() => Create(1));
        Assert.Equal("maxSeqLen", length.ParamName);
        using var vocab = new MemoryStream(Encoding.UTF8.GetBytes("[PAD]\n[UNK]\nhello\n"));
        var error = Assert.Throws<UserInputException>(() => WordPieceTextEncoder.FromVocab(vocab, "my-vocab.txt", 8));
        Assert.Contains("my-vocab.txt", error.Message);
        Assert.Contains("[CLS]", error.Message);
    }
}
