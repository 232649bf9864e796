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

    /// <summary>Builds the group list; called once, after all submodules are registered.</summary>
    protected abstract IReadOnlyList<LayerGroup> DescribeGroups();
}
