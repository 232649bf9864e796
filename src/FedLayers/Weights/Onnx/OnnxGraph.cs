namespace FedLayers.Weights.Onnx;

/// <summary>A tensor stored in an ONNX file (an initializer or a Constant's value).</summary>
/// <param name="DataType">ONNX TensorProto.DataType: 1 float, 6 int32, 7 int64, 11 double.</param>
/// <param name="Data">the values in little-endian bytes, whatever field of the file held them.</param>
public sealed record OnnxTensor(string Name, long[] Dims, int DataType, byte[] Data)
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;
    public const int Double = 11;

    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);
}

/// <summary>One attribute of a node: the fields FedLayers reads (ints, floats, strings, tensors).</summary>
public sealed record OnnxAttribute(string Name, long Int, float Float, string String, long[] Ints, float[] Floats, OnnxTensor? Tensor);

/// <summary>One operator of the graph, with its input and output value names.</summary>
public sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    public long[] Ints(string attribute, long[] fallback) => Attributes.TryGetValue(attribute, out var a) ? a.Ints : fallback;
    public long Int(string attribute, long fallback) => Attributes.TryGetValue(attribute, out var a) ? a.Int : fallback;
    public float Float(string attribute, float fallback) => Attributes.TryGetValue(attribute, out var a) ? a.Float : fallback;
}

/// <summary>The main graph of an ONNX model: nodes in file (topological) order and the initializers by name.</summary>
public sealed class OnnxGraph(string source, IReadOnlyList<OnnxNode> nodes, IReadOnlyDictionary<string, OnnxTensor> initializers,
    IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
{
    /// <summary>Where the graph came from (a file path or resource name), for messages.</summary>
    public string Source { get; } = source;
    public IReadOnlyList<OnnxNode> Nodes { get; } = nodes;
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; } = initializers;
    public IReadOnlyList<string> Inputs { get; } = inputs;
    public IReadOnlyList<string> Outputs { get; } = outputs;

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IEnumerable<OnnxNode> Consumers(string value) => Nodes.Where(n => n.Inputs.Contains(value));

    /// <summary>The node that writes <paramref name="value"/>, if any.</summary>
    public OnnxNode? Producer(string value) => Nodes.FirstOrDefault(n => n.Outputs.Contains(value));

    public OnnxTensor Initializer(string name) => Initializers.TryGetValue(name, out var t)
        ? t
        : throw new UserInputException($"{Source}: expected an initializer named '{name}', the graph has none");
}
