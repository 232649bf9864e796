using System.Buffers.Binary;
using System.Text;
using FedLayers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Weights;

public sealed class SafetensorsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly ScalarType[] AllTypes =
    [
        ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Float64, ScalarType.Int64,
        ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    ];

    private static readonly long[][] Shapes = [[], [7], [2, 3, 4], [0], [3, 0, 2]];

    /// <summary>A tensor of random bytes: every bit pattern, NaN payloads included, must survive.</summary>
    private static Tensor RandomTensor(Random random, ScalarType type, long[] shape)
    {
        var tensor = empty(shape, type);
        var bytes = new byte[tensor.NumberOfElements * tensor.ElementSize];
        random.NextBytes(bytes);
        if (type == ScalarType.Bool)
        {
            for (int i = 0; i < bytes.Length; i++)
                bytes[i] &= 1;
        }
        tensor.bytes = bytes;
        return tensor;
    }

    /// <summary>A file assembled byte by byte: header length, the header text as given, then the buffer.</summary>
    private string WriteRaw(string name, string header, byte[] buffer)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header);
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        var path = _folder.Path(name);
        File.WriteAllBytes(path, [.. length, .. headerBytes, .. buffer]);
        return path;
    }

    private static void Rejects(string path, params string[] expected)
    {
        var error = Assert.Throws<UserInputException>(() => SafetensorsReader.Read(path));
        Assert.Contains(path, error.Message);
        foreach (var fragment in expected)
            Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void WriteThenReadIsBitwiseIdenticalForEveryDtypeAndShape()
    {
        var random = new Random(17);
        var tensors = new OrderedDictionary<string, Tensor>();
        // Names out of alphabetical order, so a reader that sorts would be caught.
        foreach (var type in AllTypes.Reverse())
        {
            for (int s = 0; s < Shapes.Length; s++)
                tensors.Add($"z{s}.{type}.weight", RandomTensor(random, type, Shapes[s]));
        }
        tensors.Add("encoder.layer+1.ñ \"quoted\" \\ <b>", RandomTensor(random, ScalarType.Float32, [2]));
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "layer 3 \"frozen\" ✓" };
        var path = _folder.Path("all.safetensors");

        SafetensorsWriter.Write(path, tensors, metadata);
        var content = SafetensorsReader.Read(path);

        Assert.Equal(tensors.Keys, content.Tensors.Keys);
        foreach (var (name, written) in tensors)
        {
            Assert.True(TensorAssert.BitwiseEqual(written, content.Tensors[name]), name);
            Assert.Equal(DeviceType.CPU, content.Tensors[name].device_type);
        }
        Assert.Equal(metadata, content.Metadata);
    }

    [Fact]
    public void WritesViewsByTheirValues()
    {
        var matrix = arange(12, dtype: ScalarType.Float32).reshape(3, 4);
        var transposed = matrix.t();
        var column = matrix[.., 1];
        var path = _folder.Path("views.safetensors");

        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["transposed"] = transposed, ["column"] = column });
        var content = SafetensorsReader.Read(path);

        Assert.True(TensorAssert.BitwiseEqual(transposed.contiguous(), content.Tensors["transposed"]));
        Assert.Equal([1f, 5f, 9f], content.Tensors["column"].data<float>().ToArray());
    }

    [Fact]
    public void PadsTheHeaderWithSpacesToAMultipleOfEight()
    {
        var path = _folder.Path("padded.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["a"] = ones(3) });

        var bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);

        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 12, bytes.Length);
        Assert.Equal("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", header.TrimEnd(' '));
    }

    [Fact]
    public void ReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        var path = _folder.Path("model.safetensors");
        File.WriteAllText(path, "old content");

        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["b"] = zeros(2, dtype: ScalarType.Int64) });

        Assert.Equal(["model.safetensors"], Directory.GetFiles(_folder.Root).Select(Path.GetFileName));
        Assert.Equal([0L, 0L], SafetensorsReader.Read(path).Tensors["b"].data<long>().ToArray());
    }

    [Fact]
    public void ReportsAnUnwritablePathAsUserInput()
    {
        var path = _folder.Path("no-such-folder", "model.safetensors");

        var error = Assert.Throws<UserInputException>(() =>
            SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["a"] = ones(1) }));

        Assert.Contains(path, error.Message);
        Assert.Contains("cannot be written", error.Message);
    }

    [Fact]
    public void RefusesTensorsItCannotName()
    {
        var path = _folder.Path("refused.safetensors");
        Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["c"] = zeros(2, dtype: ScalarType.ComplexFloat32) }));
        Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["__metadata__"] = zeros(2) }));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ReadsAHandBuiltFileWithKnownValues()
    {
        // Header in its own order (not by offset), gaps between tensors, trailing bytes after the last.
        const string header = """
            {"f16": {"dtype": "F16", "shape": [2], "data_offsets": [40, 44]},
             "f32": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
             "__metadata__": {"format": "pt"},
             "bf16": {"dtype": "BF16", "shape": [2], "data_offsets": [44, 48]},
             "f64": {"dtype": "F64", "shape": [], "data_offsets": [16, 24]},
             "i64": {"dtype": "I64", "shape": [1], "data_offsets": [24, 32]},
             "i32": {"dtype": "I32", "shape": [1], "data_offsets": [32, 36]},
             "i16": {"dtype": "I16", "shape": [1], "data_offsets": [36, 38]},
             "i8": {"dtype": "I8", "shape": [1], "data_offsets": [38, 39]},
             "u8": {"dtype": "U8", "shape": [1], "data_offsets": [39, 40]},
             "bool": {"dtype": "BOOL", "shape": [3], "data_offsets": [49, 52]},
             "none": {"dtype": "F32", "shape": [0, 5], "data_offsets": [52, 52]}}
            """;
        var buffer = new byte[56];
        var span = buffer.AsSpan();
        float[] f32 = [1.5f, -2f, 0.25f, 3e38f];
        for (int i = 0; i < f32.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(span[(4 * i)..], f32[i]);
        BinaryPrimitives.WriteDoubleLittleEndian(span[16..], Math.PI);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], -1234567890123L);
        BinaryPrimitives.WriteInt32LittleEndian(span[32..], -70000);
        BinaryPrimitives.WriteInt16LittleEndian(span[36..], 300);
        buffer[38] = 0xFF; // I8: -1
        buffer[39] = 0xFF; // U8: 255
        BinaryPrimitives.WriteUInt16LittleEndian(span[40..], 0x3C00); // F16 1.0
        BinaryPrimitives.WriteUInt16LittleEndian(span[42..], 0xC000); // F16 -2.0
        BinaryPrimitives.WriteUInt16LittleEndian(span[44..], 0x3F80); // BF16 1.0
        BinaryPrimitives.WriteUInt16LittleEndian(span[46..], 0x4049); // BF16 3.140625
        buffer[48] = 0xEE; // gap byte, read by nobody
        buffer[49] = 1;
        buffer[51] = 1;
        buffer[52..].AsSpan().Fill(0xAB); // trailing bytes
        var path = WriteRaw("hand.safetensors", header, buffer);

        var content = SafetensorsReader.Read(path);
        var t = content.Tensors;

        Assert.Equal(["f16", "f32", "bf16", "f64", "i64", "i32", "i16", "i8", "u8", "bool", "none"], t.Keys);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, content.Metadata);
        Assert.Equal([2L, 2L], t["f32"].shape);
        Assert.Equal(f32, t["f32"].data<float>().ToArray());
        Assert.Equal(ScalarType.Float16, t["f16"].dtype);
        Assert.Equal([1f, -2f], t["f16"].to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(ScalarType.BFloat16, t["bf16"].dtype);
        Assert.Equal([1f, 3.140625f], t["bf16"].to_type(ScalarType.Float32).data<float>().ToArray());
        Assert.Empty(t["f64"].shape);
        Assert.Equal(Math.PI, t["f64"].item<double>());
        Assert.Equal(-1234567890123L, t["i64"].item<long>());
        Assert.Equal(-70000, t["i32"].item<int>());
        Assert.Equal((short)300, t["i16"].item<short>());
        Assert.Equal((sbyte)-1, t["i8"].item<sbyte>());
        Assert.Equal((byte)255, t["u8"].item<byte>());
        Assert.Equal([true, false, true], t["bool"].data<bool>().ToArray());
        Assert.Equal([0L, 5L], t["none"].shape);
    }

    [Fact]
    public void RejectsAMissingFile() => Rejects(_folder.Path("absent.safetensors"), "not found");

    [Fact]
    public void RejectsAFileShorterThanTheHeaderLength()
    {
        var path = _folder.Path("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        Rejects(path, "truncated", "8-byte header length", "only 5 bytes");
    }

    [Fact]
    public void RejectsAHeaderLengthBeyondTheFile()
    {
        var path = _folder.Path("long-header.safetensors");
        var bytes = new byte[8 + 20];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);
        Rejects(path, "truncated", "header length is 1000 bytes", "only 20 bytes follow");
    }

    [Fact]
    public void RejectsAHeaderLengthBeyondTheLimit()
    {
        var path = _folder.Path("huge-header.safetensors");
        var bytes = new byte[8 + 20];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100_000_001);
        File.WriteAllBytes(path, bytes);
        Rejects(path, "at most 100000000 bytes", "found 100000001");
    }

    [Theory]
    [InlineData("{\"a\": {\"dtype\": \"F32\",", "invalid JSON")]
    [InlineData("", "invalid JSON")]
    [InlineData("[1, 2]", "expected the JSON header to be an object", "found an array [1, 2]")]
    [InlineData("{\"a\": 3}", "tensor 'a'", "expected an object with dtype, shape and data_offsets", "found a number 3")]
    [InlineData("{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", "tensor 'a'", "missing \"dtype\"")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", "tensor 'a'", "missing \"shape\"")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", "tensor 'a'", "missing \"data_offsets\"")]
    [InlineData("{\"a\": {\"dtype\": 4, \"shape\": [1], \"data_offsets\": [0, 4]}}", "tensor 'a'", "\"dtype\" to be a string", "found a number 4")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": \"1\", \"data_offsets\": [0, 4]}}", "tensor 'a'", "\"shape\" to be an array of integers", "found a string \"1\"")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", "tensor 'a'", "\"shape\" to be an array of integers")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, \"4\"]}}", "tensor 'a'", "\"data_offsets\" to be an array of integers")]
    [InlineData("{\"a\": {\"dtype\": \"F8_E4M3\", \"shape\": [1], \"data_offsets\": [0, 1]}}", "tensor 'a'", "unknown dtype \"F8_E4M3\"", "BF16")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2, -1], \"data_offsets\": [0, 0]}}", "tensor 'a'", "non-negative dimensions", "[2, -1]")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 4]}}", "tensor 'a'", "0 <= begin <= end", "[8, 4]")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4]}}", "tensor 'a'", "[begin, end]", "found [4]")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}}", "tensor 'a'", "0 <= begin <= end", "[-4, 0]")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 12]}}", "tensor 'a'", "size mismatch", "need 16 bytes", "spanning 12")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904, 4], \"data_offsets\": [0, 0]}}", "tensor 'a'", "size mismatch")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}, \"b\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [12, 20]}}",
        "overlapping data_offsets", "tensor 'a' [0, 16]", "tensor 'b' [12, 20]")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}",
        "'a' twice")]
    [InlineData("{\"__metadata__\": {\"epoch\": 3}}", "\"__metadata__\" values to be strings", "'epoch' set to a number 3")]
    [InlineData("{\"__metadata__\": [\"pt\"]}", "\"__metadata__\" to be an object of strings")]
    public void RejectsACorruptHeader(string header, params string[] expected) =>
        Rejects(WriteRaw("corrupt.safetensors", header, new byte[32]), expected);

    [Fact]
    public void RejectsAHeaderThatIsNotUtf8()
    {
        var headerBytes = Encoding.UTF8.GetBytes("{\"a?\": {}}");
        headerBytes[3] = 0xFF; // a lone 0xFF never occurs in UTF-8
        var bytes = new byte[8 + headerBytes.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerBytes.Length);
        headerBytes.CopyTo(bytes, 8);
        var path = _folder.Path("latin1.safetensors");
        File.WriteAllBytes(path, bytes);

        Rejects(path, "not valid UTF-8");
    }

    [Fact]
    public void RejectsATruncatedBuffer()
    {
        var path = _folder.Path("cut.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["first"] = ones(4), ["last"] = ones(4) });
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^1]);

        Rejects(path, "tensor 'last'", "truncated", "[16, 32]", "31-byte buffer");
    }

    [Fact]
    public void AcceptsAnEmptyTensorInsideAnotherTensorsRange()
    {
        const string header = """
            {"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]},
             "empty": {"dtype": "U8", "shape": [0], "data_offsets": [2, 2]}}
            """;
        var content = SafetensorsReader.Read(WriteRaw("empty-inside.safetensors", header, [1, 2, 3, 4]));

        Assert.Equal([1, 2, 3, 4], content.Tensors["a"].data<byte>().ToArray());
        Assert.Equal(0, content.Tensors["empty"].NumberOfElements);
    }
}
