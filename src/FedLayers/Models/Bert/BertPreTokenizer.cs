using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace FedLayers.Models.Bert;

/// <summary>
/// The word split of BERT's basic tokenizer, as a Microsoft.ML.Tokenizers <see cref="PreTokenizer"/>,
/// applied to <see cref="BertTextNormalizer"/>'s output: words end at whitespace, and every
/// punctuation character is a word of its own. Punctuation is every Unicode P* character and every
/// printable non-alphanumeric ASCII character, so <c>$ + &lt; = &gt; ^ ` | ~</c> count too.
/// <para>
/// Why not <c>BertTokenizer</c>'s own pre-tokenizer: in Microsoft.ML.Tokenizers 2.0.1 it silently
/// drops symbol characters (<c>$ + = &lt; &gt; | ~ ^ `</c>, ° ©, emoji) instead of splitting them off
/// (dotnet/machinelearning#7725); "$100" would lose its "$".
/// </para>
/// </summary>
public sealed class BertPreTokenizer : PreTokenizer
{
    /// <summary>The words of <paramref name="text"/> as (UTF-16 offset, length) pairs, in order.</summary>
    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => Split(text);

    /// <inheritdoc cref="PreTokenize(string)"/>
    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => Split(text.ToString());

    private static List<(int Offset, int Length)> Split(string text)
    {
        var words = new List<(int Offset, int Length)>();
        int start = -1, offset = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            int width = rune.Utf16SequenceLength;
            if (BertTextNormalizer.IsWhitespace(rune) || IsPunctuation(rune))
            {
                if (start >= 0) words.Add((start, offset - start));
                start = -1;
                if (IsPunctuation(rune)) words.Add((offset, width));
            }
            else if (start < 0)
            {
                start = offset;
            }
            offset += width;
        }
        if (start >= 0) words.Add((start, offset - start));
        return words;
    }

    /// <summary>Whether <paramref name="rune"/> is a word of its own: a Unicode punctuation (P*) character or a printable non-alphanumeric ASCII one.</summary>
    public static bool IsPunctuation(Rune rune) =>
        rune.Value is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
}
