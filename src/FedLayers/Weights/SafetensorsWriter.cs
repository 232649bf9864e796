using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using static FedLayers.Weights.SafetensorsFormat;
using static TorchSharp.torch;

namespace FedLayers.Weights;

/// <summary>
/// Writes Hugging Face safetensors files (layout in <see cref="SafetensorsFormat"/>) in the strict
/// form Hugging Face's own reader requires: tensors packed back to back in the dictionary's order
/// with nothing after the last, and the header padded with spaces to a multiple of 8 bytes.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (on any device, contiguous or not) and the optional
    /// <paramref name="metadata"/> to <paramref name="path"/>. The file is written to a temporary
    /// sibling and then renamed, so a crash never leaves half a file at <paramref name="path"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor's dtype has no safetensors name we support, or a tensor is named "__metadata__".</exception>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = Header(tensors, metadata);
        // unique per writer, so two processes filling the same cache entry do not write into one file
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            WriteFile(temporary, header, tensors.Values);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e)
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
            if (e is IOException or UnauthorizedAccessException)
                throw new UserInputException($"{path}: cannot be written ({e.Message})");
            throw;
        }
    }

    private static byte[] Header(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names such as "a+b" readable; the header is never embedded in HTML.
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is not null)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                long size = tensor.NumberOfElements * tensor.ElementSize;
                writer.WriteStartObject(CheckedName(name));
                writer.WriteString("dtype", DtypeName(name, tensor));
                writer.WriteStartArray("shape");
                foreach (long dimension in tensor.shape)
                    writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + size);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += size;
            }
            writer.WriteEndObject();
        }

        int paddedLength = (json.WrittenCount + HeaderAlignment - 1) / HeaderAlignment * HeaderAlignment;
        var header = new byte[paddedLength];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static string CheckedName(string name) =>
        name != MetadataKey
            ? name
            : throw new ArgumentException($"a tensor cannot be named \"{MetadataKey}\": safetensors reserves that key for metadata", "tensors");

    private static string DtypeName(string name, Tensor tensor) =>
        SafetensorsDtype.NameOf(tensor.dtype)
        ?? throw new ArgumentException(
            $"tensor '{name}' has dtype {tensor.dtype}, which cannot be written as safetensors (supported: {SafetensorsDtype.SupportedNames})", "tensors");

    private static void WriteFile(string path, byte[] header, IEnumerable<Tensor> tensors)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        Span<byte> headerLength = stackalloc byte[HeaderLengthSize];
        BinaryPrimitives.WriteUInt64LittleEndian(headerLength, (ulong)header.Length);
        file.Write(headerLength);
        file.Write(header);
        foreach (var tensor in tensors)
        {
            // The file wants each tensor's values packed in row-major order in CPU memory; views and
            // GPU tensors get a packed CPU copy, while packed CPU tensors are used in place.
            using var onCpu = tensor.cpu();
            using var packed = onCpu.contiguous();
            packed.WriteBytesToStream(file, CopyBufferSize);
        }
        // On disk before the rename, so the name never points at a file still in the page cache only.
        file.Flush(flushToDisk: true);
    }
}
