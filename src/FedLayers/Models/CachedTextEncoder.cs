using FedLayers.Data;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// Keeps tokenised texts in the <see cref="TensorCache"/> ("tokens"), keyed by the tokenizer's
/// identity (its files and settings) and every text, so a second run on the same data and
/// tokenizer reads the ids instead of tokenising again.
/// </summary>
public sealed class CachedTextEncoder(ITextEncoder inner, string identity) : ITextEncoder
{
    public Tensor Encode(IReadOnlyList<string> texts)
    {
        using var key = new ContentKey().Add(identity);
        foreach (var text in texts) key.Add(text);
        return TensorCache.GetOrCreate("tokens", key.Finish(), () => inner.Encode(texts), ids => ids.shape[0] == texts.Count);
    }

    /// <summary>An identity for a tokenizer made from files: their names and contents, and the settings.</summary>
    public static string FilesIdentity(string settings, IEnumerable<string> files)
    {
        using var key = new ContentKey();
        foreach (var file in files.Where(File.Exists).Order(StringComparer.Ordinal))
            key.AddFile(Path.GetFileName(file), file);
        return $"{settings}:{key.Finish()}";
    }
}
