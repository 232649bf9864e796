using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// Copies imported tensors into a module by name, checking both ways: every state entry of the
/// module must be provided (unless it is allowed to keep its own value, like a new head), every
/// provided tensor must be used, and shapes must agree.
/// </summary>
public static class NamedTensorLoader
{
    /// <summary>Copies <paramref name="tensors"/> into <paramref name="module"/>'s state in place (without autograd); the caller keeps and disposes the tensors.</summary>
    /// <param name="module">The module to fill.</param>
    /// <param name="tensors">The tensors by state name.</param>
    /// <param name="source">names the checkpoint in messages.</param>
    /// <param name="keepsOwnValue">state entries the checkpoint need not provide.</param>
    /// <exception cref="UserInputException">A tensor has no place in the module, a required entry is missing, or a shape differs.</exception>
    public static void Load(nn.Module module, IReadOnlyDictionary<string, Tensor> tensors, string source, Func<string, bool> keepsOwnValue)
    {
        var state = module.state_dict();
        var unused = tensors.Keys.Where(k => !state.ContainsKey(k)).ToList();
        if (unused.Count > 0)
            throw new UserInputException($"{source}: tensor '{unused[0]}' has no place in the model" +
                                         (unused.Count > 1 ? $" (and {unused.Count - 1} more)" : ""));
        using var _ = no_grad();
        foreach (var (name, target) in state)
        {
            if (!tensors.TryGetValue(name, out var value))
            {
                if (keepsOwnValue(name)) continue;
                throw new UserInputException($"{source}: expected a tensor '{name}' of shape [{string.Join(", ", target.shape)}], found none");
            }
            if (!value.shape.SequenceEqual(target.shape))
                throw new UserInputException($"{source}: tensor '{name}' has shape [{string.Join(", ", value.shape)}], " +
                                             $"expected [{string.Join(", ", target.shape)}]");
            target.copy_(value);
        }
    }
}
