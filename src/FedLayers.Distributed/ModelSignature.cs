using FedLayers.Distributed.Protocol;
using FedLayers.Federation;

namespace FedLayers.Distributed;

/// <summary>Every tensor of a model by name, dtype and shape: a client's model must have exactly the server's.</summary>
public static class ModelSignature
{
    /// <summary>The spec of every tensor of <paramref name="state"/>, in its order.</summary>
    public static IReadOnlyList<TensorSpec> Of(ModelState state) => state.Names.Select(name => TensorWire.Spec(name, state[name])).ToList();

    /// <summary>Why <paramref name="client"/> is not <paramref name="server"/>'s model, or null when it is.</summary>
    public static string? Mismatch(IReadOnlyList<TensorSpec> server, IReadOnlyList<TensorSpec> client)
    {
        var theirs = new Dictionary<string, TensorSpec>();
        foreach (var spec in client)
            if (!theirs.TryAdd(spec.Name, spec)) return $"the client's model lists tensor '{spec.Name}' twice";
        foreach (var spec in server)
        {
            if (!theirs.TryGetValue(spec.Name, out var other)) return $"the client's model has no tensor '{spec.Name}'";
            if (!other.Equals(spec))
                return $"tensor '{spec.Name}' is {TensorWire.Describe(other)} at the client, {TensorWire.Describe(spec)} at the server";
        }
        var extra = client.Select(s => s.Name).Except(server.Select(s => s.Name)).FirstOrDefault();
        return extra is null ? null : $"the client's model has tensor '{extra}', which the server's has not";
    }
}
