using FedLayers.Distributed.Protocol;
using FedLayers.Weights;
using static TorchSharp.torch;

namespace FedLayers.Distributed;

/// <summary>
/// Collects the chunks of <paramref name="count"/> tensors and checks every one against what was
/// asked for: a known name, the expected dtype and shape, chunks in order and no byte too many.
/// Anything else is a <see cref="ProtocolException"/> that names the tensor.
/// </summary>
/// <param name="expected">the tensors that may come, by name.</param>
/// <param name="count">how many of them come.</param>
internal sealed class TensorAssembler(IReadOnlyDictionary<string, TensorSpec> expected, int count)
{
    private readonly Dictionary<string, (byte[] Buffer, long Received)> tensors = [];

    /// <summary>Whether every announced tensor has arrived whole.</summary>
    public bool Complete => tensors.Count == count && tensors.Values.All(t => t.Received == t.Buffer.Length);

    /// <summary>Adds the next chunk of one of the tensors.</summary>
    /// <exception cref="ProtocolException">The chunk is not one that was asked for, out of order, or too long.</exception>
    public void Add(TensorChunk chunk)
    {
        if (!expected.TryGetValue(chunk.Name, out var spec))
            throw new ProtocolException($"tensor '{chunk.Name}' was not asked for");
        if (chunk.Dtype != spec.Dtype || !chunk.Shape.SequenceEqual(spec.Shape))
            throw new ProtocolException($"tensor '{chunk.Name}' is {chunk.Dtype} [{string.Join(", ", chunk.Shape)}], expected {TensorWire.Describe(spec)}");
        if (!tensors.TryGetValue(chunk.Name, out var entry))
        {
            if (tensors.Count == count) throw new ProtocolException($"tensor '{chunk.Name}' is one more than the {count} announced");
            entry = (new byte[TensorWire.ByteSize(spec)], 0);
        }
        if (chunk.Offset != entry.Received)
            throw new ProtocolException($"tensor '{chunk.Name}': a chunk at byte {chunk.Offset}, expected byte {entry.Received}");
        if (entry.Received + chunk.Data.Length > entry.Buffer.Length || (chunk.Data.Length == 0 && entry.Buffer.Length > 0))
            throw new ProtocolException($"tensor '{chunk.Name}': {entry.Received + chunk.Data.Length} bytes, expected {entry.Buffer.Length}");
        chunk.Data.Span.CopyTo(entry.Buffer.AsSpan((int)entry.Received));
        tensors[chunk.Name] = (entry.Buffer, entry.Received + chunk.Data.Length);
    }

    /// <summary>The received tensors in CPU memory; call once <see cref="Complete"/>. The caller owns them.</summary>
    public Dictionary<string, Tensor> Tensors()
    {
        if (!Complete) throw new InvalidOperationException("not every tensor has arrived");
        return tensors.ToDictionary(t => t.Key, t =>
        {
            var spec = expected[t.Key];
            SafetensorsDtype.TryParse(spec.Dtype, out var type, out _);
            var tensor = empty([.. spec.Shape], type, CPU);
            tensor.ReadBytesFromStream(new MemoryStream(t.Value.Buffer));
            return tensor;
        });
    }
}
