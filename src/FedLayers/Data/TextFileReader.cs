using System.Text;
using System.Text.Json;

namespace FedLayers.Data;

/// <summary>
/// Reads labelled texts from CSV (a header row naming the columns; RFC 4180 quoting) or JSON
/// Lines (one object per line), chosen by the file extension. Columns: <c>text</c> and
/// <c>label</c> (any string; classes are the distinct labels, sorted) and an optional
/// <c>domain</c>. Every problem names the file, the line and what was expected.
/// </summary>
public static class TextFileReader
{
    /// <summary>Reads the file at <paramref name="path"/> (.csv, .jsonl or .ndjson) into a corpus; rows without a domain have a null one.</summary>
    /// <exception cref="UserInputException">The file is missing, of another type, malformed, not UTF-8, or has fewer than two classes.</exception>
    public static TextCorpus Read(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: text file not found (expected CSV or JSON Lines with 'text' and 'label')");
        var rows = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ReadCsv(path),
            ".jsonl" or ".ndjson" => ReadJsonLines(path),
            var other => throw new UserInputException($"{path}: unknown text file type '{other}'; expected .csv or .jsonl"),
        };
        if (rows.Count == 0) throw new UserInputException($"{path}: no rows; expected at least one text with a label");
        var classes = rows.Select(r => r.Label).Distinct().Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2) throw new UserInputException($"{path}: every row has label '{classes[0]}'; expected at least two classes");
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => (long)p.i);
        return new TextCorpus(rows.Select(r => r.Text).ToList(), rows.Select(r => index[r.Label]).ToArray(),
            rows.Select(r => r.Domain).ToList(), classes);
    }

    private sealed record Row(string Text, string Label, string? Domain);

    private static List<Row> ReadJsonLines(string path)
    {
        var rows = new List<Row>();
        int lineNumber = 0;
        foreach (var line in StrictUtf8.ReadAllText(path).Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement obj;
            try { obj = JsonDocument.Parse(line).RootElement; }
            catch (JsonException e) { throw new UserInputException($"{path}:{lineNumber}: not valid JSON ({e.Message.Split(". ")[0]})"); }
            if (obj.ValueKind != JsonValueKind.Object) throw new UserInputException($"{path}:{lineNumber}: expected a JSON object with 'text' and 'label'");
            string Field(string name, bool required)
            {
                if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                    return required ? throw new UserInputException($"{path}:{lineNumber}: missing '{name}'") : "";
                return value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => throw new UserInputException($"{path}:{lineNumber}: '{name}' must be a string or a number"),
                };
            }
            var domain = Field("domain", required: false);
            rows.Add(new Row(Field("text", true), Field("label", true), domain.Length == 0 ? null : domain));
        }
        return rows;
    }

    private static List<Row> ReadCsv(string path)
    {
        var records = CsvRecords(path).ToList();
        if (records.Count == 0) throw new UserInputException($"{path}: empty; expected a header row with 'text' and 'label'");
        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Column(string name, bool required)
        {
            int at = header.IndexOf(name);
            return at >= 0 || !required ? at : throw new UserInputException($"{path}: the header has no '{name}' column (found {string.Join(", ", header)})");
        }
        int text = Column("text", true), label = Column("label", true), domain = Column("domain", false);
        var rows = new List<Row>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue; // a blank line
            if (fields.Count != header.Count)
                throw new UserInputException($"{path}:{line}: {fields.Count} fields, expected {header.Count} as in the header");
            if (fields[label].Length == 0) throw new UserInputException($"{path}:{line}: empty label");
            rows.Add(new Row(fields[text], fields[label], domain >= 0 && fields[domain].Length > 0 ? fields[domain] : null));
        }
        return rows;
    }

    /// <summary>CSV records with the line each starts on; quoted fields may hold commas, quotes ("") and newlines.</summary>
    private static IEnumerable<(int Line, List<string> Fields)> CsvRecords(string path)
    {
        using var reader = new StringReader(StrictUtf8.ReadAllText(path));
        int line = 1, start = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        for (int c; (c = reader.Read()) >= 0;)
        {
            any = true;
            char ch = (char)c;
            if (quoted)
            {
                if (ch == '"' && reader.Peek() == '"') { field.Append('"'); reader.Read(); }
                else if (ch == '"') quoted = false;
                else { if (ch == '\n') line++; field.Append(ch); }
            }
            else if (ch == '"' && field.Length == 0) quoted = true;
            else if (ch == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r') { }
            else if (ch == '\n')
            {
                fields.Add(field.ToString());
                yield return (start, fields);
                fields = [];
                field.Clear();
                start = ++line;
                any = false;
            }
            else field.Append(ch);
        }
        if (quoted) throw new UserInputException($"{path}:{start}: a quoted field is never closed");
        if (any) { fields.Add(field.ToString()); yield return (start, fields); }
    }
}
