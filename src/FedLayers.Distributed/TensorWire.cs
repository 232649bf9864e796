using FedLayers.Distributed.Protocol;
using FedLayers.Federation;
using FedLayers.Weights;
using Google.Protobuf;
using static TorchSharp.torch;

namespace FedLayers.Distributed;

/// <summary>
/// Tensors on the wire: name, dtype (safetensors names: F32, I64, ...), shape, and the raw
/// little-endian bytes in row-major order, split into chunks of at most <see cref="ChunkBytes"/>.
/// </summary>
internal static class TensorWire
{
    /// <summary>The largest chunk's data, 1 MiB.</summary>
    public const int ChunkBytes = 1 << 20;

    /// <summary>The name, wire dtype and shape of <paramref name="tensor"/> as it travels in <paramref name="transfer"/>.</summary>
    /// <exception cref="ArgumentException">The dtype has no wire name.</exception>
    public static TensorSpec Spec(string name, Tensor tensor, TransferDtype transfer = TransferDtype.Float32)
    {
        var type = transfer.WireType(tensor.dtype);
        var spec = new TensorSpec { Name = name, Dtype = SafetensorsDtype.NameOf(type) ?? throw new ArgumentException($"tensor dtype {type} has no wire name") };
        spec.Shape.AddRange(tensor.shape);
        return spec;
    }

    /// <summary>The tensor as chunks of <paramref name="taskId"/>; an empty tensor is one empty chunk.</summary>
    public static IEnumerable<TensorChunk> Chunks(long taskId, string name, Tensor tensor) => Chunks(taskId, Spec(name, tensor), Bytes(tensor));

    /// <summary>A tensor's <paramref name="bytes"/> (as <see cref="Bytes"/> gives them) as chunks of <paramref name="taskId"/>.</summary>
    public static IEnumerable<TensorChunk> Chunks(long taskId, TensorSpec spec, byte[] bytes)
    {
        for (long offset = 0; offset < bytes.Length || offset == 0; offset += ChunkBytes)
        {
            var chunk = new TensorChunk
            {
                TaskId = taskId, Name = spec.Name, Dtype = spec.Dtype, Offset = offset,
                Data = ByteString.CopyFrom(bytes, (int)offset, (int)Math.Min(ChunkBytes, bytes.Length - offset)),
            };
            chunk.Shape.AddRange(spec.Shape);
            yield return chunk;
            if (bytes.Length == 0) yield break;
        }
    }

    /// <summary>The tensor's bytes, packed, from CPU memory.</summary>
    public static byte[] Bytes(Tensor tensor)
    {
        using var onCpu = tensor.cpu();
        using var packed = onCpu.contiguous();
        using var stream = new MemoryStream(checked((int)(packed.numel() * packed.ElementSize)));
        packed.WriteBytesToStream(stream);
        return stream.ToArray();
    }

    /// <summary>The bytes a tensor of <paramref name="spec"/> takes on the wire.</summary>
    /// <exception cref="ProtocolException">The dtype is unknown.</exception>
    public static long ByteSize(TensorSpec spec) =>
        SafetensorsDtype.TryParse(spec.Dtype, out _, out int size)
            ? spec.Shape.Aggregate(1L, (n, d) => checked(n * d)) * size
            : throw new ProtocolException($"tensor '{spec.Name}': unknown dtype '{spec.Dtype}'");

    /// <summary>"F32 [10, 512]", for messages.</summary>
    public static string Describe(TensorSpec spec) => $"{spec.Dtype} [{string.Join(", ", spec.Shape)}]";
}
