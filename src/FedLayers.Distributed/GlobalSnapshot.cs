using System.Security.Cryptography;
using FedLayers.Distributed.Protocol;
using FedLayers.Federation;

namespace FedLayers.Distributed;

/// <summary>
/// The global weights of one round as they travel: every tensor's spec, wire bytes and their SHA-256
/// (which tells whether a client already holds it). Taken once per round and shared by every client's
/// tasks, since the weights change only between rounds, when the round's updates are aggregated.
/// </summary>
public sealed class GlobalSnapshot(int round, ModelState global)
{
    public sealed record Entry(TensorSpec Spec, byte[] Bytes, byte[] Hash);

    public int Round { get; } = round;

    public IReadOnlyDictionary<string, Entry> Tensors { get; } = global.Names.ToDictionary(name => name, name =>
    {
        var bytes = TensorWire.Bytes(global[name]);
        return new Entry(TensorWire.Spec(name, global[name]), bytes, SHA256.HashData(bytes));
    });
}
