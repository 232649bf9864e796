using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// A classifier whose state is cut into ordered <see cref="LayerGroup"/>s, input to output.
/// Every trainable parameter belongs to exactly one group.
/// </summary>
public abstract class LayeredModel(string name) : nn.Module<Tensor, Tensor>(name)
{
    private IReadOnlyList<LayerGroup>? _groups;

    /// <summary>All groups from input to output.</summary>
    public IReadOnlyList<LayerGroup> Groups => _groups ??= DescribeGroups();

    /// <summary>The selectable groups in input-to-output order (the "layers" l = 0..L-1).</summary>
    public IReadOnlyList<LayerGroup> SelectableGroups => Groups.Where(g => g.Role == LayerRole.Selectable).ToList();

    /// <summary>Number of output classes.</summary>
    public abstract int NumClasses { get; }

    /// <summary>
    /// Training mode for the trained groups, eval mode for every other group: a frozen group's
    /// batch norm keeps using (and never updates) its running statistics and its dropout is off,
    /// so a frozen group computes exactly what it computes at evaluation.
    /// </summary>
    public void TrainOnly(IReadOnlyCollection<string> trainedGroups)
    {
        train();
        var frozenTensors = Groups.Where(g => !trainedGroups.Contains(g.Name)).SelectMany(g => g.TensorNames).ToList();
        foreach (var (name, module) in named_modules())
            if (!module.children().Any() && frozenTensors.Any(t => t.StartsWith(name + ".", StringComparison.Ordinal)))
                module.eval();
    }

    /// <summary>Builds the group list; called once, after all submodules are registered.</summary>
    protected abstract IReadOnlyList<LayerGroup> DescribeGroups();
}
