using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace FedLayers.Models.Bert;

/// <summary>
/// The text clean-up of BERT's uncased basic tokenizer (the original BERT release and Hugging
/// Face's BasicTokenizer), as a Microsoft.ML.Tokenizers <see cref="Normalizer"/>: remove NUL,
/// U+FFFD and control characters; turn whitespace (space, tab, CR, LF and Unicode space
/// separators) into spaces; put spaces around CJK ideographs; lower-case; strip accents
/// (<see cref="AccentFolding"/>: NFD, then drop non-spacing marks).
/// <para>
/// Why not <c>BertTokenizer</c>'s own normaliser: in Microsoft.ML.Tokenizers 2.0.1 it deletes
/// tab, CR and LF instead of treating them as whitespace, gluing the words around every line
/// break (dotnet/machinelearning#7724).
/// </para>
/// </summary>
public sealed class BertTextNormalizer : Normalizer
{
    /// <summary>The cleaned, lower-cased, accent-stripped text.</summary>
    public override string Normalize(string original) => Normalize(original.AsSpan());

    /// <inheritdoc cref="Normalize(string)"/>
    public override string Normalize(ReadOnlySpan<char> original)
    {
        var cleaned = new StringBuilder(original.Length);
        foreach (var rune in original.EnumerateRunes()) // unpaired surrogates come out as U+FFFD and are dropped
        {
            if (rune.Value == 0 || rune.Value == 0xFFFD) continue;
            if (IsWhitespace(rune)) cleaned.Append(' ');
            else if (IsControl(rune)) continue;
            else if (IsCjkIdeograph(rune.Value)) cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            else cleaned.Append(rune.ToString());
        }
        // lower-case again after stripping: "İ" (which has no simple lower-case mapping) becomes "I", then "i"
        return AccentFolding.Strip(cleaned.ToString().ToLowerInvariant()).ToLowerInvariant();
    }

    /// <summary>Space, tab, CR, LF and the Unicode space separators (BERT's whitespace).</summary>
    public static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    /// <summary>Control and format characters other than the whitespace ones.</summary>
    public static bool IsControl(Rune rune) =>
        rune.Value is not ('\t' or '\n' or '\r')
        && Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format;

    /// <summary>The CJK Unified Ideographs blocks BERT tokenizes one character at a time
    /// (not Hiragana, Katakana or Hangul, which are written with spaces).</summary>
    public static bool IsCjkIdeograph(int codePoint) =>
        codePoint is >= 0x4E00 and <= 0x9FFF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F
            or >= 0x2B820 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF
            or >= 0x2F800 and <= 0x2FA1F;
}
