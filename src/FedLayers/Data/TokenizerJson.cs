using System.Text;
using System.Text.Json;

namespace FedLayers.Data;

/// <summary>
/// The vocabulary part of a Hugging Face tokenizer.json, for checkpoints that ship only that
/// file: a WordPiece model (token -> id) becomes the lines of a vocab.txt, a BPE model
/// (token -> id and merges, as "a b" strings or [a, b] pairs) becomes a vocab.json and a
/// merges.txt. Normalisation and pre-tokenisation are FedLayers' own per architecture.
/// </summary>
public sealed class TokenizerJson
{
    /// <summary>The file's name in a checkpoint folder.</summary>
    public const string FileName = "tokenizer.json";

    private TokenizerJson(string path, string type, IReadOnlyDictionary<string, int> vocab, IReadOnlyList<string> merges)
    {
        Path = path;
        ModelType = type;
        Vocab = vocab;
        Merges = merges;
    }

    /// <summary>The file read, for messages.</summary>
    public string Path { get; }

    /// <summary>model.type: WordPiece, BPE, Unigram, ...</summary>
    public string ModelType { get; }

    /// <summary>model.vocab: token to id.</summary>
    public IReadOnlyDictionary<string, int> Vocab { get; }

    /// <summary>model.merges as "a b" strings, in rank order; empty for WordPiece.</summary>
    public IReadOnlyList<string> Merges { get; }

    /// <summary>Reads the model part of the tokenizer.json at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file is missing, not JSON, or its model is not a readable WordPiece or BPE.</exception>
    public static TokenizerJson Read(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: file not found");
        JsonElement model;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            model = document.RootElement.GetProperty("model").Clone();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UserInputException($"{path}: expected a Hugging Face tokenizer.json with a 'model' object ({e.Message.Split(". ")[0]})");
        }
        string type = model.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        if (type is not ("WordPiece" or "BPE"))
            throw new UserInputException($"{path}: model.type '{type}' is not read (expected WordPiece or BPE)");
        if (!model.TryGetProperty("vocab", out var vocabJson) || vocabJson.ValueKind != JsonValueKind.Object)
            throw new UserInputException($"{path}: model.vocab must be an object of token -> id");
        var vocab = new Dictionary<string, int>();
        foreach (var entry in vocabJson.EnumerateObject())
            vocab[entry.Name] = entry.Value.TryGetInt32(out var id) && id >= 0
                ? id
                : throw new UserInputException($"{path}: model.vocab['{entry.Name}'] must be a non-negative integer id");
        var merges = new List<string>();
        if (type == "BPE" && model.TryGetProperty("merges", out var mergesJson) && mergesJson.ValueKind == JsonValueKind.Array)
            foreach (var merge in mergesJson.EnumerateArray())
                merges.Add(merge.ValueKind switch
                {
                    JsonValueKind.String => merge.GetString()!,
                    JsonValueKind.Array when merge.GetArrayLength() == 2 => $"{merge[0].GetString()} {merge[1].GetString()}",
                    _ => throw new UserInputException($"{path}: every entry of model.merges must be \"a b\" or [a, b]"),
                });
        return new TokenizerJson(path, type, vocab, merges);
    }

    /// <summary>The WordPiece vocabulary as vocab.txt lines (the line index is the id).</summary>
    public Stream VocabTxt()
    {
        RequireType("WordPiece");
        var byId = Vocab.OrderBy(e => e.Value).ToList();
        if (byId.Where((e, i) => e.Value != i).Any())
            throw new UserInputException($"{Path}: WordPiece ids must run 0..{byId.Count - 1} without gaps");
        return new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', byId.Select(e => e.Key)) + "\n"));
    }

    /// <summary>Writes the BPE vocabulary as vocab.json and merges.txt into <paramref name="folder"/>.</summary>
    public (string VocabPath, string MergesPath) WriteBpeFiles(string folder)
    {
        RequireType("BPE");
        var vocabPath = System.IO.Path.Combine(folder, "vocab.json");
        var mergesPath = System.IO.Path.Combine(folder, "merges.txt");
        File.WriteAllText(vocabPath, JsonSerializer.Serialize(Vocab));
        File.WriteAllLines(mergesPath, Merges);
        return (vocabPath, mergesPath);
    }

    private void RequireType(string expected)
    {
        if (ModelType != expected) throw new UserInputException($"{Path}: model.type is '{ModelType}', expected {expected}");
    }
}
