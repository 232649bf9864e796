using FedLayers.Weights;
using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>
/// Derived data kept on disk under <see cref="DataCache.Folder"/>/&lt;kind&gt;/&lt;key&gt;.safetensors,
/// one tensor per entry, so a second run on the same inputs reads the result instead of
/// recomputing it. Entries are written through a temporary file and a rename, so a failed or
/// interrupted computation leaves nothing behind; an entry that cannot be read, or that does not
/// have the expected shape, is recomputed and replaced.
/// </summary>
public static class TensorCache
{
    private const string TensorName = "data";

    /// <summary>
    /// The cached tensor for (<paramref name="kind"/>, <paramref name="key"/>) if one is readable and
    /// accepted, else the result of <paramref name="create"/>, which is then stored. The caller owns the
    /// returned tensor.
    /// </summary>
    /// <param name="kind">the cache's subfolder, e.g. "tokens" or "images".</param>
    /// <param name="key">identifies the inputs and settings, e.g. from <see cref="ContentKey"/>.</param>
    /// <param name="create">computes the tensor on a miss.</param>
    /// <param name="isExpected">accepts a cached tensor (e.g. its shape and dtype).</param>
    public static Tensor GetOrCreate(string kind, string key, Func<Tensor> create, Func<Tensor, bool> isExpected)
    {
        var path = PathOf(kind, key);
        if (File.Exists(path))
        {
            try
            {
                if (SafetensorsReader.Read(path).Tensors.TryGetValue(TensorName, out var cached) && isExpected(cached)) return cached;
            }
            catch (UserInputException)
            {
                // a damaged cache entry is not the user's input: compute it again and overwrite it
            }
        }
        var created = create();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { [TensorName] = created });
        return created;
    }

    /// <summary>The file an entry is stored in; it need not exist.</summary>
    public static string PathOf(string kind, string key) => Path.Combine(DataCache.Folder, kind, $"{key}.safetensors");
}
