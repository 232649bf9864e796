using System.Text.Json;

namespace FedLayers.Reporting;

/// <summary>Shared JSON settings: snake_case names, as in the run folder's documented files.</summary>
public static class Json
{
    /// <summary>One line per value: snake_case, unindented, NaN and infinities as named literals, non-ASCII unescaped.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // messages (failures.jsonl) stay readable: quotes and accents as they are, not as \u escapes; these files are never embedded in HTML
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>As <see cref="Options"/>, indented, for whole-file JSON such as summary.json.</summary>
    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}

/// <summary>Appends one JSON object per line and flushes it, so a killed run keeps every finished round.</summary>
/// <param name="path">the file to append to; created on the first line.</param>
public sealed class JsonLinesWriter(string path)
{
    /// <summary>Appends <paramref name="value"/> serialised with <see cref="Json.Options"/> and a newline.</summary>
    public void Append(object value) => File.AppendAllText(path, JsonSerializer.Serialize(value, Json.Options) + "\n");

    /// <summary>Drops the lines of rounds after <paramref name="lastRound"/> (and a torn last line), so a resumed
    /// run that redoes a round does not list it twice. Rewritten atomically; a missing file is left missing.</summary>
    public static void KeepRoundsUpTo(string path, int lastRound)
    {
        if (!File.Exists(path)) return;
        var kept = File.ReadAllLines(path).Where(line => RoundOf(line) is { } round && round <= lastRound).ToList();
        AtomicFile.WriteAllText(path, string.Concat(kept.Select(line => line + "\n")));
    }

    private static int? RoundOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("round", out var round) && round.TryGetInt32(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
