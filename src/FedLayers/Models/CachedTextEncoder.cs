using FedLayers.Data;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// Keeps tokenised texts in the <see cref="TensorCache"/> ("tokens"), keyed by the tokenizer's
/// identity (its files and settings) and every text, so a second run on the same data and
/// tokenizer reads the ids instead of tokenising again.
/// </summary>
/// <param name="inner">The tokenizer that encodes on a cache miss.</param>
/// <param name="identity">Identifies <paramref name="inner"/>: two tokenizers that may encode differently must have different identities (<see cref="FilesIdentity"/>).</param>
public sealed class CachedTextEncoder(ITextEncoder inner, string identity) : ITextEncoder
{
    /// <summary>The cached ids of <paramref name="texts"/>, or the inner tokenizer's, which are then cached; the caller owns the tensor.</summary>
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
