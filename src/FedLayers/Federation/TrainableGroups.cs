using FedLayers.Models;
using TorchSharp;

namespace FedLayers.Federation;

/// <summary>Maps a mask over the selectable layers to the groups a client trains, and sets
/// requires_grad on a module so that exactly those groups are trainable.</summary>
public static class TrainableGroups
{
    /// <summary>The common groups plus the selectable groups switched on in <paramref name="mask"/>, in model order.</summary>
    public static IReadOnlyList<string> ForMask(IReadOnlyList<LayerGroup> groups, bool[] mask)
    {
        var selectable = groups.Where(g => g.Role == LayerRole.Selectable).ToList();
        if (mask.Length != selectable.Count)
            throw new ArgumentException($"mask has {mask.Length} entries, the model has {selectable.Count} selectable layers");
        var chosen = selectable.Where((_, l) => mask[l]).Select(g => g.Name).ToHashSet();
        return groups.Where(g => g.Role == LayerRole.Common || chosen.Contains(g.Name)).Select(g => g.Name).ToList();
    }

    /// <summary>Freezes every parameter outside <paramref name="trained"/> and unfreezes those inside;
    /// returns the trainable parameters.</summary>
    public static IReadOnlyList<TorchSharp.Modules.Parameter> Apply(LayeredModel model, IReadOnlyCollection<string> trained)
    {
        foreach (var name in trained)
            if (model.Groups.FirstOrDefault(g => g.Name == name) is not { } group)
                throw new ArgumentException($"the model has no layer group '{name}'");
            else if (group.Role == LayerRole.Fixed)
                throw new ArgumentException($"layer group '{name}' is fixed and cannot be trained");
        var trainable = model.Groups.Where(g => trained.Contains(g.Name)).SelectMany(g => g.ParameterNames).ToHashSet();
        var result = new List<TorchSharp.Modules.Parameter>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            bool train = trainable.Contains(name);
            parameter.requires_grad = train;
            if (train) result.Add(parameter);
        }
        return result;
    }
}
