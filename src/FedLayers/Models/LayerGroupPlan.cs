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
    private readonly List<(string Name, LayerRole Role, string[] Prefixes, long Flops)> _entries = [];

    public LayerGroupPlan Add(string name, LayerRole role, long forwardFlopsPerSample, params string[] prefixes)
    {
        _entries.Add((name, role, prefixes, forwardFlopsPerSample));
        return this;
    }

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
                    throw new InvalidOperationException($"tensor '{t}' is claimed by two layer groups");
            groups.Add(new LayerGroup(name, groups.Count, role, ownParams.Select(p => p.name).ToList(), ownBuffers,
                ownParams.Sum(p => p.Item2), flops));
        }
        var orphans = parameters.Select(p => p.name).Where(n => !claimed.Contains(n)).ToList();
        if (orphans.Count > 0)
            throw new InvalidOperationException($"parameters in no layer group: {string.Join(", ", orphans)}");
        return groups;
    }
}
