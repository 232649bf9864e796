using System.Buffers.Binary;
using System.IO.Compression;

namespace FedLayers.Data;

/// <summary>
/// Reads unsigned-byte IDX files (the MNIST family's format): a 4-byte magic number
/// (0, 0, data type, number of dimensions), one big-endian int32 per dimension, then the
/// values. Files whose name ends in .gz are decompressed on the fly. Every problem with a
/// file is a <see cref="UserInputException"/> naming the file and what was expected.
/// </summary>
public static class IdxReader
{
    private const int ImagesMagic = 0x00000803;
    private const int LabelsMagic = 0x00000801;
    private const int UnsignedByteType = 0x08;

    // GZipStream pulls compressed data in small pieces; a large file buffer serves those from
    // memory instead of one system call each. The payload itself is read in one call.
    private const int FileBufferSize = 1 << 20;

    /// <summary>Reads a 3-d IDX file: <paramref name="path"/> holds Count images of Rows x Cols bytes, row-major.</summary>
    public static (byte[] Pixels, int Count, int Rows, int Cols) ReadImages(string path)
    {
        var (dims, pixels) = Read(path, ImagesMagic, "3-d unsigned-byte images", "image");
        return (pixels, dims[0], dims[1], dims[2]);
    }

    /// <summary>Reads a 1-d IDX file: one byte per label.</summary>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic, "1-d unsigned-byte labels", "label").Payload;

    private static (int[] Dims, byte[] Payload) Read(string path, int expectedMagic, string expectedKind, string what)
    {
        using var file = Open(path);
        bool gzip = IsGzipName(path);
        uint recordedSize = gzip ? ReadGzipRecordedSize(file, path) : 0;
        using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        var dims = ReadHeader(stream, path, expectedMagic, expectedKind);
        var payload = ReadPayload(stream, path, dims, what);

        // GZipStream stops quietly at the end of the compressed file: a file cut inside the
        // gzip trailer, or with bytes appended after it, decompresses without complaint. The
        // trailer's last field is the uncompressed size (mod 2^32), so compare it ourselves.
        long decompressed = 4L + 4L * dims.Length + payload.Length;
        if (gzip && recordedSize != (uint)decompressed)
            throw new UserInputException(
                $"{path}: expected the gzip trailer to record {(uint)decompressed} uncompressed bytes, found {recordedSize}: " +
                "the file is truncated or has trailing data");
        return (dims, payload);
    }

    private static FileStream Open(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"{path}: file not found (expected an IDX file)");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot be read ({e.Message})");
        }
    }

    private static bool IsGzipName(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The ISIZE field that ends a gzip file; leaves <paramref name="file"/> at its start.</summary>
    private static uint ReadGzipRecordedSize(FileStream file, string path)
    {
        const int SmallestGzip = 18; // 10-byte header, empty deflate data, 8-byte trailer
        if (file.Length < SmallestGzip)
            throw new UserInputException(
                $"{path}: truncated: expected a gzip stream (the name ends in .gz) of at least {SmallestGzip} bytes, found {file.Length}");
        var size = new byte[4];
        file.Seek(-size.Length, SeekOrigin.End);
        file.ReadExactly(size);
        file.Seek(0, SeekOrigin.Begin);
        return BinaryPrimitives.ReadUInt32LittleEndian(size);
    }

    private static int[] ReadHeader(Stream stream, string path, int expectedMagic, string expectedKind)
    {
        var magicBytes = new byte[4];
        int got = ReadFully(stream, path, magicBytes);
        if (got < magicBytes.Length)
            throw new UserInputException(
                $"{path}: truncated: expected a 4-byte IDX magic number 0x{expectedMagic:X8} ({expectedKind}), found only {got} bytes");
        int magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        if (magic != expectedMagic)
            throw new UserInputException(
                $"{path}: expected IDX magic 0x{expectedMagic:X8} ({expectedKind}), found 0x{magic:X8} ({DescribeMagic(magicBytes, path)})");

        var dims = new int[magicBytes[3]];
        var dimBytes = new byte[4 * dims.Length];
        got = ReadFully(stream, path, dimBytes);
        if (got < dimBytes.Length)
            throw new UserInputException(
                $"{path}: truncated: expected {dims.Length} dimension sizes ({dimBytes.Length} bytes) after the magic number, found only {got} bytes");
        for (int d = 0; d < dims.Length; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * d));
            if (dims[d] <= 0)
                throw new UserInputException($"{path}: expected positive IDX dimension sizes, found {string.Join(" x ", dims[..(d + 1)])}");
        }
        return dims;
    }

    // Says what the unexpected magic number looks like, so that e.g. a labels file passed as
    // images, or a compressed file without the .gz suffix, is recognised from the message.
    private static string DescribeMagic(byte[] magic, string path)
    {
        if (magic[0] == 0x1F && magic[1] == 0x8B && !IsGzipName(path))
            return "gzip data, but the file name does not end in .gz";
        if (magic[0] != 0 || magic[1] != 0)
            return "not an IDX file";
        string type = magic[2] switch
        {
            UnsignedByteType => "unsigned-byte",
            0x09 => "signed-byte",
            0x0B => "int16",
            0x0C => "int32",
            0x0D => "float32",
            0x0E => "float64",
            _ => $"unknown type 0x{magic[2]:X2}",
        };
        return $"{magic[3]}-d {type}";
    }

    private static byte[] ReadPayload(Stream stream, string path, int[] dims, string what)
    {
        long expected = dims.Aggregate(1L, (product, d) => product * d);
        string shape = string.Join(" x ", dims);
        if (expected > Array.MaxLength)
            throw new UserInputException($"{path}: IDX dimensions {shape} describe {expected} bytes, more than one array can hold");

        var payload = new byte[expected];
        int got = ReadFully(stream, path, payload);
        if (got < expected)
            throw new UserInputException(
                $"{path}: truncated: expected {expected} bytes of {what} data ({shape}) after the header, found only {got}");
        if (ReadFully(stream, path, new byte[1]) > 0)
            throw new UserInputException(
                $"{path}: expected exactly {expected} bytes of {what} data ({shape}) after the header, found trailing data after them");
        return payload;
    }

    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
    private static int ReadFully(Stream stream, string path, byte[] buffer)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException)
        {
            // .NET words every zlib data error as "unsupported compression method", which would mislead.
            throw new UserInputException($"{path}: expected a valid gzip stream (the name ends in .gz), found data that is not gzip or is corrupt");
        }
        catch (IOException e)
        {
            throw new UserInputException($"{path}: cannot be read ({e.Message})");
        }
    }
}
