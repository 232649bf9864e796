using System.Security.Cryptography;
using System.Text;

namespace FedLayers.Data;

/// <summary>
/// Builds a cache key: a SHA-256 over a sequence of parts (strings and file contents), each
/// followed by a separator so that different splits of the same bytes give different keys.
/// </summary>
public sealed class ContentKey : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Adds <paramref name="part"/> as UTF-8; returns this key, for chaining.</summary>
    public ContentKey Add(string part)
    {
        _hash.AppendData(Encoding.UTF8.GetBytes(part));
        _hash.AppendData([0]);
        return this;
    }

    /// <summary>Adds a label (e.g. the file's name) and the file's bytes.</summary>
    public ContentKey AddFile(string label, string path)
    {
        Add(label);
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        for (int read; (read = stream.Read(buffer)) > 0;) _hash.AppendData(buffer, 0, read);
        _hash.AppendData([0]);
        return this;
    }

    /// <summary>The key as 64 lower-case hex digits.</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <summary>Frees the hash.</summary>
    public void Dispose() => _hash.Dispose();
}
