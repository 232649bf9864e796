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
        var frozen = Groups.Where(g => !trainedGroups.Contains(g.Name)).SelectMany(g => g.TensorNames).ToHashSet();
        var grouped = Groups.SelectMany(g => g.TensorNames).ToList();
        // a module is frozen when every group tensor beneath it is; eval() then reaches its
        // parameterless children too (dropout), which own no tensor to be recognised by
        foreach (var (name, module) in named_modules())
        {
            if (name.Length == 0) continue;
            var beneath = grouped.Where(t => t.StartsWith(name + ".", StringComparison.Ordinal)).ToList();
            if (beneath.Count > 0 && beneath.All(frozen.Contains)) module.eval();
        }
    }

    /// <summary>
    /// Whether groups can run apart (<see cref="Run"/> on any range). A model that can only run whole says
    /// false: it is trained, probed and evaluated from its input every time, without the frozen-prefix
    /// shortcuts (slower, same results).
    /// </summary>
    public virtual bool IsStaged => true;

    /// <summary>Where a computation that needs groups from <paramref name="group"/> on may start: that group for
    /// a staged model, the input (0) for one that runs only whole.</summary>
    public int StageBoundary(int group) => IsStaged ? group : 0;

    /// <summary>The logits: every group, in order.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Run(new GroupActivation(input), 0, Groups.Count).Hidden.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Runs groups <paramref name="firstGroup"/> up to (not including) <paramref name="endGroup"/> on the
    /// activation before <paramref name="firstGroup"/>, so that a caller can run a frozen prefix once
    /// and the rest from its output. Running [0, a) and then [a, end) computes what forward computes.
    /// </summary>
    public GroupActivation Run(GroupActivation input, int firstGroup, int endGroup)
    {
        if (firstGroup < 0 || endGroup > Groups.Count || firstGroup > endGroup)
            throw new ArgumentOutOfRangeException(nameof(firstGroup), $"groups [{firstGroup}, {endGroup}) of a model with {Groups.Count}");
        if (!IsStaged && firstGroup < endGroup && (firstGroup, endGroup) != (0, Groups.Count))
            throw new NotSupportedException($"{GetName()} runs only whole (IsStaged is false), asked for groups [{firstGroup}, {endGroup})");
        using var scope = NewDisposeScope();
        var activation = input;
        for (int group = firstGroup; group < endGroup; group++) activation = RunGroup(group, activation);
        // moves only what this scope made: an input passed through (a text mask) stays with its owner
        scope.MoveToOuter(activation.Tensors);
        return activation;
    }

    /// <summary>One group: the activation after group <paramref name="group"/> from the one before it.</summary>
    protected abstract GroupActivation RunGroup(int group, GroupActivation input);

    /// <summary>Builds the group list; called once, after all submodules are registered.</summary>
    protected abstract IReadOnlyList<LayerGroup> DescribeGroups();
}
