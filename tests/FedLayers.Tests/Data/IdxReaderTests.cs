using System.IO.Compression;
using FedLayers.Data;

namespace FedLayers.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fedlayers-idx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static byte[] Header(int magic, params int[] dims)
    {
        var header = new byte[4 + 4 * dims.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int d = 0; d < dims.Length; d++)
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dims[d]);
        return header;
    }

    private static byte[] Images(int count, int rows, int cols) =>
        [.. Header(0x803, count, rows, cols), .. Enumerable.Range(0, count * rows * cols).Select(i => (byte)(i * 7))];

    private string Write(string name, byte[] content, bool gzip = false)
    {
        var path = Path.Combine(_folder, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Fastest);
            zip.Write(content);
        }
        else
        {
            File.WriteAllBytes(path, content);
        }
        return path;
    }

    private static UserInputException Rejects(Action read, string path, string expected)
    {
        var error = Assert.Throws<UserInputException>(read);
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        return error;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesBackAsWritten(bool gzip)
    {
        var content = Images(count: 5, rows: 3, cols: 4);
        var path = Write(gzip ? "images.gz" : "images", content, gzip);

        var (pixels, count, rows, cols) = IdxReader.ReadImages(path);

        Assert.Equal((5, 3, 4), (count, rows, cols));
        Assert.Equal(content[16..], pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsLabelsBackAsWritten(bool gzip)
    {
        byte[] labels = [3, 1, 4, 1, 5, 9, 2, 6];
        var path = Write(gzip ? "labels.gz" : "labels", [.. Header(0x801, labels.Length), .. labels], gzip);

        Assert.Equal(labels, IdxReader.ReadLabels(path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsTruncatedPayload(bool gzip)
    {
        var content = Images(count: 5, rows: 3, cols: 4);
        var path = Write(gzip ? "short.gz" : "short", content[..^10], gzip);

        var error = Rejects(() => IdxReader.ReadImages(path), path, "truncated");
        Assert.Contains("expected 60 bytes", error.Message);
    }

    [Fact]
    public void RejectsTruncatedHeader()
    {
        var path = Write("header", Images(count: 5, rows: 3, cols: 4)[..9]);

        Rejects(() => IdxReader.ReadImages(path), path, "truncated");
    }

    private byte[] GzipBytes(byte[] content) => File.ReadAllBytes(Write("whole.gz", content, gzip: true));

    [Theory]
    [InlineData(30)] // inside the gzip header
    [InlineData(500)] // inside the compressed data
    [InlineData(1000)] // inside the 8-byte trailer, which GZipStream alone would not notice
    public void RejectsGzipFileCutShort(int keepPerMille)
    {
        var bytes = GzipBytes(Images(count: 50, rows: 8, cols: 8));
        int keep = Math.Min(bytes.Length - 3, bytes.Length * keepPerMille / 1000);
        var path = Write("cut.gz", bytes[..keep]);

        Rejects(() => IdxReader.ReadImages(path), path, "truncated");
    }

    [Fact]
    public void RejectsTrailingData()
    {
        var path = Write("long", [.. Images(count: 2, rows: 2, cols: 2), 42]);

        Rejects(() => IdxReader.ReadImages(path), path, "trailing data");
    }

    [Fact]
    public void RejectsTrailingDataInsideGzip()
    {
        var path = Write("long.gz", [.. Images(count: 2, rows: 2, cols: 2), 42], gzip: true);

        Rejects(() => IdxReader.ReadImages(path), path, "trailing data");
    }

    [Fact]
    public void RejectsBytesAppendedAfterGzip()
    {
        var path = Write("appended.gz", [.. GzipBytes(Images(count: 2, rows: 2, cols: 2)), 1, 2, 3]);

        Rejects(() => IdxReader.ReadImages(path), path, "trailing data");
    }

    [Fact]
    public void RejectsCorruptGzip()
    {
        var bytes = GzipBytes(Images(count: 50, rows: 8, cols: 8));
        bytes[bytes.Length / 2] ^= 0xFF;
        var path = Write("corrupt.gz", bytes);

        Rejects(() => IdxReader.ReadImages(path), path, "expected a valid gzip stream");
    }

    [Fact]
    public void RejectsWrongMagic()
    {
        var path = Write("magic", [.. Header(0x12345678, 1, 1, 1), 0]);

        Rejects(() => IdxReader.ReadImages(path), path, "expected IDX magic 0x00000803 (3-d unsigned-byte images), found 0x12345678");
    }

    [Fact]
    public void RejectsLabelsFileReadAsImages()
    {
        var path = Write("labels-as-images", [.. Header(0x801, 3), 1, 2, 3]);

        Rejects(() => IdxReader.ReadImages(path), path, "expected IDX magic 0x00000803 (3-d unsigned-byte images), found 0x00000801 (1-d unsigned-byte)");
    }

    [Fact]
    public void RejectsImagesFileReadAsLabels()
    {
        var path = Write("images-as-labels", Images(count: 1, rows: 1, cols: 1));

        Rejects(() => IdxReader.ReadLabels(path), path, "expected IDX magic 0x00000801 (1-d unsigned-byte labels)");
    }

    [Fact]
    public void RejectsZeroDimension()
    {
        var path = Write("empty", Header(0x803, 0, 28, 28));

        Rejects(() => IdxReader.ReadImages(path), path, "expected positive IDX dimension sizes");
    }

    [Fact]
    public void RejectsNonGzipFileNamedGz()
    {
        var path = Write("plain.gz", Images(count: 2, rows: 2, cols: 2));

        Rejects(() => IdxReader.ReadImages(path), path, "expected a valid gzip stream");
    }

    [Fact]
    public void RecognisesGzipFileWithoutGzName()
    {
        var path = Write("compressed", Images(count: 2, rows: 2, cols: 2), gzip: true);

        Rejects(() => IdxReader.ReadImages(path), path, "does not end in .gz");
    }

    [Fact]
    public void ReportsMissingFile()
    {
        var path = Path.Combine(_folder, "absent-images-idx3-ubyte.gz");

        Rejects(() => IdxReader.ReadImages(path), path, "not found");
    }
}
