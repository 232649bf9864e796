using System.Buffers.Binary;
using System.Numerics;
using System.Text.Json;
using System.Text.Unicode;
using static FedLayers.Weights.SafetensorsFormat;
using static TorchSharp.torch;

namespace FedLayers.Weights;

/// <summary>
/// Reads Hugging Face safetensors files (layout in <see cref="SafetensorsFormat"/>). The whole
/// header is checked before any tensor is allocated; then each tensor's bytes stream from the
/// file into its memory, so the file is read once. Every problem with a file is a
/// <see cref="UserInputException"/> naming the file (and tensor) and what was expected.
/// </summary>
/// <remarks>
/// Gaps between tensors and bytes after the last one are accepted (Hugging Face's own reader
/// rejects them); every tensor's range is still checked against the buffer. Overlapping tensors
/// are rejected: in a sound file no byte belongs to two tensors.
/// </remarks>
public static class SafetensorsReader
{
    private sealed record Entry(string Name, ScalarType Type, long[] Shape, long Begin, long End);

    /// <summary>Reads every tensor of <paramref name="path"/> into CPU memory, in header order, with the metadata.</summary>
    public static SafetensorsContent Read(string path)
    {
        using var file = Open(path);
        try
        {
            long headerLength = ReadHeaderLength(file, path);
            var header = new byte[headerLength];
            file.ReadExactly(header);
            long bufferStart = HeaderLengthSize + headerLength;
            var (entries, metadata) = ParseHeader(header, path, bufferLength: file.Length - bufferStart);
            CheckDisjoint(entries, path);
            return new SafetensorsContent(ReadTensors(file, bufferStart, entries), metadata);
        }
        catch (IOException e)
        {
            throw new UserInputException($"{path}: cannot be read ({e.Message})");
        }
    }

    private static FileStream Open(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"{path}: file not found (expected a safetensors file)");
        try
        {
            // Tensor bytes are copied in large pieces, so the stream's own buffer would only add a copy.
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot be read ({e.Message})");
        }
    }

    private static long ReadHeaderLength(FileStream file, string path)
    {
        if (file.Length < HeaderLengthSize)
            throw new UserInputException(
                $"{path}: truncated: expected a safetensors file starting with an {HeaderLengthSize}-byte header length, found only {file.Length} bytes");
        Span<byte> bytes = stackalloc byte[HeaderLengthSize];
        file.ReadExactly(bytes);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > MaxHeaderLength)
            throw new UserInputException(
                $"{path}: expected a safetensors header length of at most {MaxHeaderLength} bytes, found {length}: " +
                "the file is corrupt or not a safetensors file");
        long available = file.Length - HeaderLengthSize;
        if ((long)length > available)
            throw new UserInputException(
                $"{path}: truncated: the header length is {length} bytes, but only {available} bytes follow it");
        return (long)length;
    }

    private static (List<Entry> Entries, Dictionary<string, string> Metadata) ParseHeader(byte[] header, string path, long bufferLength)
    {
        // JsonDocument does not check the UTF-8 of every string, so check it all here.
        if (!Utf8.IsValid(header))
            throw new UserInputException($"{path}: expected a UTF-8 JSON header of {header.Length} bytes, found bytes that are not valid UTF-8");
        using var document = ParseJson(header, path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new UserInputException(
                $"{path}: expected the JSON header to be an object mapping tensor names to dtype, shape and data_offsets, found {Describe(root)}");

        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        var seen = new HashSet<string>();
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                throw new UserInputException($"{path}: expected each key once in the JSON header, found '{property.Name}' twice");
            if (property.Name == MetadataKey)
                ReadMetadata(property.Value, path, metadata);
            else
                entries.Add(ParseEntry(property.Name, property.Value, path, bufferLength));
        }
        return (entries, metadata);
    }

    private static JsonDocument ParseJson(byte[] header, string path)
    {
        try
        {
            return JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: expected a JSON header of {header.Length} bytes, found invalid JSON ({e.Message})");
        }
    }

    private static void ReadMetadata(JsonElement value, string path, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new UserInputException($"{path}: expected \"{MetadataKey}\" to be an object of strings, found {Describe(value)}");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw new UserInputException(
                    $"{path}: expected \"{MetadataKey}\" values to be strings, found '{item.Name}' set to {Describe(item.Value)}");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static Entry ParseEntry(string name, JsonElement value, string path, long bufferLength)
    {
        string where = $"{path}: tensor '{name}'";
        if (value.ValueKind != JsonValueKind.Object)
            throw new UserInputException($"{where}: expected an object with dtype, shape and data_offsets, found {Describe(value)}");

        var dtype = Field(value, "dtype", where);
        if (dtype.ValueKind != JsonValueKind.String)
            throw new UserInputException($"{where}: expected \"dtype\" to be a string, found {Describe(dtype)}");
        string dtypeName = dtype.GetString()!;
        if (!SafetensorsDtype.TryParse(dtypeName, out var type, out int elementSize))
            throw new UserInputException($"{where}: unknown dtype \"{dtypeName}\" (expected one of {SafetensorsDtype.SupportedNames})");

        long[] shape = Integers(Field(value, "shape", where), "shape", where);
        if (shape.Any(d => d < 0))
            throw new UserInputException($"{where}: expected non-negative dimensions in \"shape\", found [{string.Join(", ", shape)}]");

        long[] offsets = Integers(Field(value, "data_offsets", where), "data_offsets", where);
        if (offsets is not [>= 0 and var begin, var end] || begin > end)
            throw new UserInputException(
                $"{where}: expected \"data_offsets\" to be [begin, end] with 0 <= begin <= end, found [{string.Join(", ", offsets)}]");
        if (end > bufferLength)
            throw new UserInputException(
                $"{where}: truncated: data_offsets [{begin}, {end}] end beyond the {bufferLength}-byte buffer after the header");

        // BigInteger: a corrupt shape must not overflow into a size that happens to match.
        var expectedBytes = shape.Aggregate(BigInteger.One, (product, d) => product * d) * elementSize;
        if (expectedBytes != end - begin)
            throw new UserInputException(
                $"{where}: size mismatch: dtype {dtypeName} and shape [{string.Join(", ", shape)}] need {expectedBytes} bytes, " +
                $"found data_offsets [{begin}, {end}] spanning {end - begin}");
        return new Entry(name, type, shape, begin, end);
    }

    private static JsonElement Field(JsonElement entry, string field, string where) =>
        entry.TryGetProperty(field, out var value)
            ? value
            : throw new UserInputException($"{where}: missing \"{field}\" (expected an object with dtype, shape and data_offsets)");

    private static long[] Integers(JsonElement value, string field, string where)
    {
        bool integers = value.ValueKind == JsonValueKind.Array &&
            value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out _));
        if (!integers)
            throw new UserInputException($"{where}: expected \"{field}\" to be an array of integers, found {Describe(value)}");
        return [.. value.EnumerateArray().Select(item => item.GetInt64())];
    }

    private static void CheckDisjoint(List<Entry> entries, string path)
    {
        // Sorted by start, ranges are disjoint exactly when each starts at or after the previous end.
        // Empty ranges hold no bytes, so they cannot overlap anything.
        var occupied = entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ToList();
        for (int i = 1; i < occupied.Count; i++)
        {
            var (previous, current) = (occupied[i - 1], occupied[i]);
            if (current.Begin < previous.End)
                throw new UserInputException(
                    $"{path}: overlapping data_offsets: tensor '{previous.Name}' [{previous.Begin}, {previous.End}] and " +
                    $"tensor '{current.Name}' [{current.Begin}, {current.End}] share bytes (expected disjoint ranges)");
        }
    }

    private static OrderedDictionary<string, Tensor> ReadTensors(FileStream file, long bufferStart, List<Entry> entries)
    {
        var tensors = new OrderedDictionary<string, Tensor>(entries.Count);
        try
        {
            foreach (var entry in entries)
                tensors.Add(entry.Name, empty(entry.Shape, entry.Type, CPU));
            // Filling in file order keeps the reads sequential.
            foreach (var entry in entries.OrderBy(e => e.Begin))
            {
                file.Seek(bufferStart + entry.Begin, SeekOrigin.Begin);
                tensors[entry.Name].ReadBytesFromStream(file, CopyBufferSize);
            }
            return tensors;
        }
        catch
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw;
        }
    }

    private static string Describe(JsonElement value)
    {
        string kind = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
        const int Shown = 40;
        string text = value.GetRawText();
        return value.ValueKind == JsonValueKind.Null ? kind : $"{kind} {(text.Length <= Shown ? text : text[..Shown] + "...")}";
    }
}
