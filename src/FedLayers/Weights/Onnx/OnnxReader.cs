using System.Buffers.Binary;
using Google.Protobuf;

namespace FedLayers.Weights.Onnx;

/// <summary>
/// Reads the parts of an ONNX model (protobuf ModelProto) that weight import needs: the main
/// graph's nodes, attributes, initializers, inputs and outputs. Field numbers follow onnx.proto;
/// every other field is skipped.
/// </summary>
public static class OnnxReader
{
    /// <summary>Reads the ONNX model file at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file is missing or not a valid ONNX model.</exception>
    public static OnnxGraph ReadFile(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: ONNX model file not found");
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an ONNX model from <paramref name="stream"/> to its end; the caller keeps and disposes the stream.</summary>
    /// <param name="stream">The serialised ModelProto.</param>
    /// <param name="source">names the model in messages (a path or a resource name).</param>
    /// <exception cref="UserInputException">The bytes are not a valid ONNX model or hold no graph.</exception>
    public static OnnxGraph Read(Stream stream, string source)
    {
        try
        {
            OnnxGraph? graph = null;
            var input = new CodedInputStream(stream);
            for (uint tag; (tag = input.ReadTag()) != 0;)
                if (WireFormat.GetTagFieldNumber(tag) == 7) graph = ReadGraph(input.ReadBytes(), source); // ModelProto.graph
                else input.SkipLastField();
            return graph ?? throw new UserInputException($"{source}: not an ONNX model (no graph found)");
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new UserInputException($"{source}: not a valid ONNX model ({e.Message})");
        }
    }

    private static OnnxGraph ReadGraph(ByteString bytes, string source)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>();
        var inputs = new List<string>();
        var outputs = new List<string>();
        var input = bytes.CreateCodedInput();
        for (uint tag; (tag = input.ReadTag()) != 0;)
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: nodes.Add(ReadNode(input.ReadBytes())); break;
                case 5:
                    var tensor = ReadTensor(input.ReadBytes(), source);
                    initializers[tensor.Name] = tensor;
                    break;
                case 11: inputs.Add(ReadValueInfoName(input.ReadBytes())); break;
                case 12: outputs.Add(ReadValueInfoName(input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        return new OnnxGraph(source, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(ByteString bytes)
    {
        string name = "", opType = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>();
        var input = bytes.CreateCodedInput();
        for (uint tag; (tag = input.ReadTag()) != 0;)
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: inputs.Add(input.ReadString()); break;
                case 2: outputs.Add(input.ReadString()); break;
                case 3: name = input.ReadString(); break;
                case 4: opType = input.ReadString(); break;
                case 5:
                    var attribute = ReadAttribute(input.ReadBytes());
                    attributes[attribute.Name] = attribute;
                    break;
                default: input.SkipLastField(); break;
            }
        return new OnnxNode(name, opType, inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(ByteString bytes)
    {
        string name = "", text = "";
        long integer = 0;
        float real = 0;
        var ints = new List<long>();
        var floats = new List<float>();
        OnnxTensor? tensor = null;
        var input = bytes.CreateCodedInput();
        for (uint tag; (tag = input.ReadTag()) != 0;)
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: name = input.ReadString(); break;
                case 2: real = input.ReadFloat(); break;
                case 3: integer = input.ReadInt64(); break;
                case 4: text = input.ReadBytes().ToStringUtf8(); break;
                case 5: tensor = ReadTensor(input.ReadBytes(), "attribute"); break;
                case 7: ReadRepeated(input, tag, floats, i => i.ReadFloat()); break;
                case 8: ReadRepeated(input, tag, ints, i => i.ReadInt64()); break;
                default: input.SkipLastField(); break;
            }
        return new OnnxAttribute(name, integer, real, text, ints.ToArray(), floats.ToArray(), tensor);
    }

    private static OnnxTensor ReadTensor(ByteString bytes, string source)
    {
        string name = "";
        int dataType = 0;
        var dims = new List<long>();
        var floats = new List<float>();
        var int32s = new List<int>();
        var int64s = new List<long>();
        var doubles = new List<double>();
        byte[]? raw = null;
        var input = bytes.CreateCodedInput();
        for (uint tag; (tag = input.ReadTag()) != 0;)
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: ReadRepeated(input, tag, dims, i => i.ReadInt64()); break;
                case 2: dataType = input.ReadInt32(); break;
                case 4: ReadRepeated(input, tag, floats, i => i.ReadFloat()); break;
                case 5: ReadRepeated(input, tag, int32s, i => i.ReadInt32()); break;
                case 7: ReadRepeated(input, tag, int64s, i => i.ReadInt64()); break;
                case 8: name = input.ReadString(); break;
                case 9: raw = input.ReadBytes().ToByteArray(); break;
                case 10: ReadRepeated(input, tag, doubles, i => i.ReadDouble()); break;
                case 14: // data_location: 1 = EXTERNAL
                    if (input.ReadInt32() == 1)
                        throw new UserInputException($"{source}: tensor '{name}' keeps its data in an external file, which is not supported");
                    break;
                default: input.SkipLastField(); break;
            }
        var data = raw ?? dataType switch
        {
            OnnxTensor.Float => LittleEndian(floats, 4, (span, v) => BinaryPrimitives.WriteSingleLittleEndian(span, v)),
            OnnxTensor.Int32 => LittleEndian(int32s, 4, (span, v) => BinaryPrimitives.WriteInt32LittleEndian(span, v)),
            OnnxTensor.Int64 => LittleEndian(int64s, 8, (span, v) => BinaryPrimitives.WriteInt64LittleEndian(span, v)),
            OnnxTensor.Double => LittleEndian(doubles, 8, (span, v) => BinaryPrimitives.WriteDoubleLittleEndian(span, v)),
            _ => [],
        };
        var tensor = new OnnxTensor(name, dims.ToArray(), dataType, data);
        int elementSize = dataType switch { OnnxTensor.Float or OnnxTensor.Int32 => 4, OnnxTensor.Int64 or OnnxTensor.Double => 8, _ => 0 };
        if (elementSize > 0 && data.Length != tensor.ElementCount * elementSize)
            throw new UserInputException($"{source}: tensor '{name}' has shape [{string.Join(", ", tensor.Dims)}] " +
                                         $"({tensor.ElementCount} values) but {data.Length} bytes of data");
        return tensor;
    }

    private static string ReadValueInfoName(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        for (uint tag; (tag = input.ReadTag()) != 0;)
            if (WireFormat.GetTagFieldNumber(tag) == 1) return input.ReadString();
            else input.SkipLastField();
        return "";
    }

    /// <summary>A repeated scalar field, packed (one length-delimited run) or not (one value per tag).</summary>
    private static void ReadRepeated<T>(CodedInputStream input, uint tag, List<T> values, Func<CodedInputStream, T> read)
    {
        if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
        {
            values.Add(read(input));
            return;
        }
        var packed = input.ReadBytes().CreateCodedInput();
        while (!packed.IsAtEnd) values.Add(read(packed));
    }

    private static byte[] LittleEndian<T>(List<T> values, int size, Action<Span<byte>, T> write)
    {
        var bytes = new byte[values.Count * size];
        for (int k = 0; k < values.Count; k++) write(bytes.AsSpan(k * size, size), values[k]);
        return bytes;
    }
}
