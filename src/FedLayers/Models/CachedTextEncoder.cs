using System.Security.Cryptography;
using System.Text;
using FedLayers.Data;
using FedLayers.Weights;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// Keeps tokenised texts on disk (<see cref="DataCache.Folder"/>/tokens/), keyed by a SHA-256 of
/// the tokenizer's identity (its files and settings) and of every text, so a second run on the
/// same data and tokenizer reads the ids instead of tokenising again. Files are written
/// atomically; an unreadable cache file is recomputed and replaced.
/// </summary>
public sealed class CachedTextEncoder(ITextEncoder inner, string identity) : ITextEncoder
{
    private const string TensorName = "input_ids";

    public Tensor Encode(IReadOnlyList<string> texts)
    {
        var path = Path.Combine(DataCache.Folder, "tokens", $"{Key(texts)}.safetensors");
        if (File.Exists(path))
        {
            try
            {
                var cached = SafetensorsReader.Read(path).Tensors;
                if (cached.TryGetValue(TensorName, out var ids) && ids.shape[0] == texts.Count) return ids;
            }
            catch (UserInputException)
            {
                // a damaged cache entry is not the user's input: tokenise again and overwrite it
            }
        }
        var encoded = inner.Encode(texts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { [TensorName] = encoded });
        return encoded;
    }

    private string Key(IReadOnlyList<string> texts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(identity + "\0"));
        foreach (var text in texts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>An identity for a tokenizer made from files: their names and contents, and the settings.</summary>
    public static string FilesIdentity(string settings, IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.Where(File.Exists).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\0"));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return $"{settings}:{Convert.ToHexStringLower(hash.GetHashAndReset())}";
    }
}
