using System.Security.Cryptography;
using FedLayers.Distributed.Protocol;
using FedLayers.Federation;

namespace FedLayers.Distributed;

/// <summary>
/// The global weights of one round as they travel: every tensor's spec, wire bytes and their SHA-256
/// (which tells whether a client already holds it). Taken once per round and shared by every client's
/// tasks, since the weights change only between rounds, when the round's updates are aggregated.
/// </summary>
/// <param name="round">the round the weights are for.</param>
/// <param name="global">the global weights; read (copied to bytes) at construction only.</param>
/// <param name="transfer">the format the weights travel in.</param>
public sealed class GlobalSnapshot(int round, ModelState global, TransferDtype transfer = TransferDtype.Float32)
{
    /// <summary>One tensor as it travels.</summary>
    /// <param name="Spec">its name, dtype and shape.</param>
    /// <param name="Bytes">its packed little-endian bytes.</param>
    /// <param name="Hash">the SHA-256 of <paramref name="Bytes"/>.</param>
    public sealed record Entry(TensorSpec Spec, byte[] Bytes, byte[] Hash);

    /// <summary>The round the weights are for.</summary>
    public int Round { get; } = round;

    /// <summary>Every tensor of the global weights by name.</summary>
    public IReadOnlyDictionary<string, Entry> Tensors { get; } = global.Names.ToDictionary(name => name, name =>
    {
        // converted only when it travels in another format: in float32 the global tensor is read as it is
        var tensor = global[name];
        using var converted = transfer.Converted(tensor);
        var bytes = TensorWire.Bytes(converted ?? tensor);
        return new Entry(TensorWire.Spec(name, converted ?? tensor), bytes, SHA256.HashData(bytes));
    });
}
