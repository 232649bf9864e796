namespace FedLayers.Weights.Onnx;

/// <summary>A tensor stored in an ONNX file (an initializer or a Constant's value).</summary>
/// <param name="Name">The tensor's name in the graph.</param>
/// <param name="Dims">Its shape; empty for a scalar.</param>
/// <param name="DataType">ONNX TensorProto.DataType: 1 float, 6 int32, 7 int64, 11 double.</param>
/// <param name="Data">the values in little-endian bytes, whatever field of the file held them.</param>
public sealed record OnnxTensor(string Name, long[] Dims, int DataType, byte[] Data)
{
    /// <summary>The <see cref="DataType"/> of float32 values.</summary>
    public const int Float = 1;

    /// <summary>The <see cref="DataType"/> of int32 values.</summary>
    public const int Int32 = 6;

    /// <summary>The <see cref="DataType"/> of int64 values.</summary>
    public const int Int64 = 7;

    /// <summary>The <see cref="DataType"/> of float64 values.</summary>
    public const int Double = 11;

    /// <summary>The number of values: the product of <see cref="Dims"/> (1 for a scalar).</summary>
    public long ElementCount => Dims.Aggregate(1L, (a, d) => a * d);
}

/// <summary>One attribute of a node: the fields FedLayers reads (ints, floats, strings, tensors).</summary>
/// <param name="Name">The attribute's name, e.g. <c>pads</c>.</param>
/// <param name="Int">Its integer value (0 when it has none).</param>
/// <param name="Float">Its float value (0 when it has none).</param>
/// <param name="String">Its string value, decoded as UTF-8 (empty when it has none).</param>
/// <param name="Ints">Its integer list (empty when it has none).</param>
/// <param name="Floats">Its float list (empty when it has none).</param>
/// <param name="Tensor">Its tensor value, or null.</param>
public sealed record OnnxAttribute(string Name, long Int, float Float, string String, long[] Ints, float[] Floats, OnnxTensor? Tensor);

/// <summary>One operator of the graph, with its input and output value names.</summary>
/// <param name="Name">The node's name (may be empty).</param>
/// <param name="OpType">The operator, e.g. <c>Conv</c> or <c>MatMul</c>.</param>
/// <param name="Inputs">The names of the values it reads, in operand order.</param>
/// <param name="Outputs">The names of the values it writes.</param>
/// <param name="Attributes">Its attributes by name.</param>
public sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>The integer list of <paramref name="attribute"/>, or <paramref name="fallback"/> when the node has no such attribute.</summary>
    public long[] Ints(string attribute, long[] fallback) => Attributes.TryGetValue(attribute, out var a) ? a.Ints : fallback;

    /// <summary>The integer of <paramref name="attribute"/>, or <paramref name="fallback"/> when the node has no such attribute.</summary>
    public long Int(string attribute, long fallback) => Attributes.TryGetValue(attribute, out var a) ? a.Int : fallback;

    /// <summary>The float of <paramref name="attribute"/>, or <paramref name="fallback"/> when the node has no such attribute.</summary>
    public float Float(string attribute, float fallback) => Attributes.TryGetValue(attribute, out var a) ? a.Float : fallback;
}

/// <summary>The main graph of an ONNX model: nodes in file (topological) order and the initializers by name.</summary>
/// <param name="source">Where the graph came from, for messages.</param>
/// <param name="nodes">The operators in file order.</param>
/// <param name="initializers">The stored tensors by name.</param>
/// <param name="inputs">The names of the graph's inputs.</param>
/// <param name="outputs">The names of the graph's outputs.</param>
public sealed class OnnxGraph(string source, IReadOnlyList<OnnxNode> nodes, IReadOnlyDictionary<string, OnnxTensor> initializers,
    IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
{
    /// <summary>Where the graph came from (a file path or resource name), for messages.</summary>
    public string Source { get; } = source;

    /// <summary>The operators in file order, which ONNX requires to be topological.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; } = nodes;

    /// <summary>The stored tensors (weights and constants) by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; } = initializers;

    /// <summary>The names of the graph's inputs.</summary>
    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <summary>The names of the graph's outputs.</summary>
    public IReadOnlyList<string> Outputs { get; } = outputs;

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IEnumerable<OnnxNode> Consumers(string value) => Nodes.Where(n => n.Inputs.Contains(value));

    /// <summary>The node that writes <paramref name="value"/>, if any.</summary>
    public OnnxNode? Producer(string value) => Nodes.FirstOrDefault(n => n.Outputs.Contains(value));

    /// <summary>The initializer named <paramref name="name"/>.</summary>
    /// <exception cref="UserInputException">The graph has none of that name.</exception>
    public OnnxTensor Initializer(string name) => Initializers.TryGetValue(name, out var t)
        ? t
        : throw new UserInputException($"{Source}: expected an initializer named '{name}', the graph has none");
}
