using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace FedLayers.Models.Bert;

/// <summary>
/// BERT's accent stripping: the canonical decomposition (NFD) of the text without its
/// non-spacing marks, so "Café" becomes "Cafe" and the Hangul syllable "한" its three jamo.
/// <para>
/// Why not <c>string.Normalize(NormalizationForm.FormD)</c>: FedLayers builds with
/// InvariantGlobalization, where Normalize returns its input unchanged (silently), so accents
/// would survive and accented words would become [UNK]. The decompositions come from a table
/// generated once with ICU (scripts/generate-accent-folding.cs); Hangul syllables decompose by
/// the Unicode formula. The result does not depend on the globalization mode. Characters outside
/// the Basic Multilingual Plane are not decomposed (their marks are still removed).
/// </para>
/// </summary>
internal static partial class AccentFolding
{
    private static readonly FrozenDictionary<char, string> Folded = Parse();

    public static string Strip(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsBmp && Folded.TryGetValue((char)rune.Value, out var folded)) result.Append(folded);
            else if (rune.Value is >= HangulFirst and <= HangulLast) AppendJamo(result, rune.Value - HangulFirst);
            else if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) result.Append(rune.ToString());
        }
        return result.ToString();
    }

    // Hangul syllable = (leading consonant * 21 + vowel) * 28 + trailing consonant (0 = none), from U+AC00
    private const int HangulFirst = 0xAC00, HangulLast = 0xD7A3, VowelCount = 21, TrailingCount = 28;

    private static void AppendJamo(StringBuilder result, int syllable)
    {
        result.Append((char)(0x1100 + syllable / (VowelCount * TrailingCount)));
        result.Append((char)(0x1161 + syllable % (VowelCount * TrailingCount) / TrailingCount));
        if (syllable % TrailingCount != 0) result.Append((char)(0x11A7 + syllable % TrailingCount));
    }

    private static FrozenDictionary<char, string> Parse()
    {
        var map = new Dictionary<char, string>();
        foreach (var entry in Table.Split('\u0000', StringSplitOptions.RemoveEmptyEntries))
            map[entry[0]] = entry[1..];
        return map.ToFrozenDictionary();
    }
}
