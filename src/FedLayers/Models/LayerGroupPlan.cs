using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// Turns "group name, role, state-name prefixes, FLOPs" into <see cref="LayerGroup"/>s by
/// matching the module's own parameter and buffer names, and checks that every parameter
/// lands in exactly one group.
/// </summary>
public sealed class LayerGroupPlan
{
    private readonly List<(string Name, LayerRole Role, string[] Prefixes, long? Flops)> _entries = [];

    /// <summary>Declares the next group, in input-to-output order.</summary>
    /// <param name="name">the group's name, unique in the model.</param>
    /// <param name="role">how the group takes part in selective fine-tuning.</param>
    /// <param name="forwardFlopsPerSample">the group's forward FLOPs for one sample (the flops cost unit and the reported training
    /// FLOPs); null: twice its parameter count, exact for dense layers and too low for convolutions and attention.</param>
    /// <param name="prefixes">the group owns every parameter and buffer named as one of these or below one ("blocks.0" owns "blocks.0.weight").</param>
    public LayerGroupPlan Add(string name, LayerRole role, long? forwardFlopsPerSample, params string[] prefixes)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a layer group needs a name", nameof(name));
        if (_entries.Any(e => e.Name == name)) throw new ArgumentException($"two layer groups are named '{name}'", nameof(name));
        if (prefixes.Length == 0) throw new ArgumentException($"layer group '{name}' names no parameter prefix", nameof(prefixes));
        _entries.Add((name, role, prefixes, forwardFlopsPerSample));
        return this;
    }

    /// <summary>The groups, matched against <paramref name="module"/>'s parameter and buffer names.</summary>
    /// <exception cref="ArgumentException">a parameter or buffer is claimed by two groups, a parameter by none, or a group
    /// owns nothing; the message names the tensor or the group.</exception>
    public IReadOnlyList<LayerGroup> Build(nn.Module module)
    {
        var parameters = module.named_parameters().Select(p => (p.name, p.parameter.numel())).ToList();
        var buffers = module.named_buffers().Select(b => b.name).ToList();
        var groups = new List<LayerGroup>();
        var claimed = new HashSet<string>();
        foreach (var (name, role, prefixes, flops) in _entries)
        {
            bool Owns(string tensor) => prefixes.Any(p => tensor == p || tensor.StartsWith(p + ".", StringComparison.Ordinal));
            var ownParams = parameters.Where(p => Owns(p.name)).ToList();
            var ownBuffers = buffers.Where(Owns).ToList();
            foreach (var t in ownParams.Select(p => p.name).Concat(ownBuffers))
                if (!claimed.Add(t))
                    throw new ArgumentException($"'{t}' is claimed by layer group '{name}' and by an earlier one; a tensor belongs to exactly one group", nameof(module));
            if (ownParams.Count == 0 && ownBuffers.Count == 0)
                throw new ArgumentException($"layer group '{name}' owns no tensor: no parameter or buffer is named {string.Join(" or ", prefixes)} or below it", nameof(module));
            long parameterCount = ownParams.Sum(p => p.Item2);
            groups.Add(new LayerGroup(name, groups.Count, role, ownParams.Select(p => p.name).ToList(), ownBuffers,
                parameterCount, flops ?? 2 * parameterCount));
        }
        var orphans = parameters.Select(p => p.name).Where(n => !claimed.Contains(n)).ToList();
        if (orphans.Count > 0)
            throw new ArgumentException($"parameter '{orphans[0]}' is in no layer group{(orphans.Count > 1 ? $" (nor are {orphans.Count - 1} more: {string.Join(", ", orphans.Skip(1).Take(5))})" : "")}; every parameter belongs to exactly one group", nameof(module));
        return groups;
    }
}
