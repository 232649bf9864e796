namespace FedLayers.Weights;

/// <summary>
/// The layout of a Hugging Face safetensors file, shared by the reader and the writer:
/// an 8-byte little-endian header length N, N bytes of UTF-8 JSON, then the tensor buffer.
/// </summary>
/// <remarks>
/// Tensor bytes in the file are little-endian. TorchSharp runs only on little-endian platforms
/// (x64, arm64), so tensor memory already has the file's byte order and is copied as is.
/// </remarks>
internal static class SafetensorsFormat
{
    public const int HeaderLengthSize = sizeof(ulong);

    /// <summary>Hugging Face's own limit: real headers are a few MB, so a larger length means corruption.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>Hugging Face pads the header with spaces to this multiple, so the buffer starts aligned.</summary>
    public const int HeaderAlignment = 8;

    /// <summary>The optional header key whose value maps strings to strings; every other key names a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Tensor bytes move through a buffer of this size, below the large-object heap threshold.</summary>
    public const int CopyBufferSize = 64 * 1024;
}
