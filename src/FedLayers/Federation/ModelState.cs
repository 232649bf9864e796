using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// The server's single copy of the global weights: every state-dict entry of the model
/// (parameters and buffers), detached from any module.
/// </summary>
public sealed class ModelState : IDisposable
{
    private readonly Dictionary<string, Tensor> tensors;

    private ModelState(Dictionary<string, Tensor> tensors) => this.tensors = tensors;

    /// <summary>A detached copy of the module's current state.</summary>
    public static ModelState Capture(nn.Module module)
    {
        using var _ = no_grad();
        return new ModelState(module.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone()));
    }

    /// <summary>A new state of <paramref name="map"/>'s result for every tensor; the results are owned by the new state.</summary>
    public ModelState Select(Func<Tensor, Tensor> map)
    {
        using var _ = no_grad();
        return new ModelState(tensors.ToDictionary(e => e.Key, e => map(e.Value)));
    }

    /// <summary>The state-dict keys of every tensor held.</summary>
    public IEnumerable<string> Names => tensors.Keys;

    /// <summary>The tensor of state-dict key <paramref name="name"/>, owned by this state (do not dispose it).</summary>
    /// <exception cref="KeyNotFoundException">the state has no tensor of that name.</exception>
    public Tensor this[string name] =>
        tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"the model state has no tensor '{name}'");

    /// <summary>Copies these weights into the module, in place (the module keeps its tensors).</summary>
    public void LoadInto(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (name, target) in module.state_dict())
            target.copy_(this[name]);
    }

    /// <summary>Adds <paramref name="delta"/> to the named tensor, in place.</summary>
    public void Add(string name, Tensor delta)
    {
        using var _ = no_grad();
        this[name].add_(delta);
    }

    /// <summary>Disposes every tensor held.</summary>
    public void Dispose()
    {
        foreach (var t in tensors.Values) t.Dispose();
        tensors.Clear();
    }
}
