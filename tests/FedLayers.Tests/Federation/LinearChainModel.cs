using FedLayers.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

/// <summary>
/// A chain of linear groups (input Fixed, layers Selectable, head Common) that records, for each
/// group it runs, whether autograd was recording and whether the group's output is part of a graph.
/// </summary>
internal sealed class LinearChainModel : LayeredModel
{
    private readonly ModuleList<Linear> layers = new();

    /// <param name="inputs">features of one flattened input sample.</param>
    public LinearChainModel(int inputs, int selectable, int classes, int width = 8) : base("linear-chain")
    {
        NumClasses = classes;
        layers.Add(nn.Linear(inputs, width));
        for (int l = 0; l < selectable; l++) layers.Add(nn.Linear(width, width));
        layers.Add(nn.Linear(width, classes));
        RegisterComponents();
    }

    public override int NumClasses { get; }

    public List<(int Group, bool GradEnabled, bool InGraph)> Runs { get; } = [];

    /// <summary>Called with the group's index before it runs, e.g. to hold a forward pass at a gate.</summary>
    public Action<int>? BeforeRun { get; set; }

    protected override GroupActivation RunGroup(int group, GroupActivation input)
    {
        BeforeRun?.Invoke(group);
        var x = group == 0 ? input.Hidden.flatten(1) : input.Hidden;
        var output = layers[group].forward(x);
        if (group < layers.Count - 1) output = output.tanh();
        Runs.Add((group, is_grad_enabled(), output.requires_grad));
        return new GroupActivation(output);
    }

    protected override IReadOnlyList<LayerGroup> DescribeGroups()
    {
        var plan = new LayerGroupPlan().Add("input", LayerRole.Fixed, 1, "layers.0");
        for (int l = 1; l < layers.Count - 1; l++) plan.Add($"layers.{l}", LayerRole.Selectable, 1, $"layers.{l}");
        return plan.Add("head", LayerRole.Common, 1, $"layers.{layers.Count - 1}").Build(this);
    }
}
