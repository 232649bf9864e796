using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// A model made of a user's own TorchSharp modules, cut into layer groups so that FedLayers can select,
/// train, send and aggregate them. Two shapes:
/// <list type="bullet">
/// <item><see cref="Staged"/>: a chain of modules, one per group. Groups run apart, so a client's frozen
/// groups below its lowest trained one run once per sample without autograd, and evaluation keeps the
/// test set's activations below the lowest changed group: the fast path.</item>
/// <item><see cref="Whole"/>: any module, its groups declared by parameter-name prefixes. It runs only whole
/// (<see cref="LayeredModel.IsStaged"/> is false): every training step, probe and evaluation runs it from the
/// input, with autograd through the frozen groups below the trained ones. Same results, slower.</item>
/// </list>
/// Every parameter must belong to exactly one group; a model that breaks this is refused, naming the parameter.
/// </summary>
public sealed class CustomModel : LayeredModel
{
    private readonly nn.Module<Tensor, Tensor>[]? stages;
    private readonly nn.Module<Tensor, Tensor>? whole;
    private readonly LayerGroupPlan plan;

    private CustomModel(string name, int numClasses, nn.Module<Tensor, Tensor>[]? stages, nn.Module<Tensor, Tensor>? whole, LayerGroupPlan plan)
        : base(name)
    {
        if (numClasses < 2) throw new ArgumentException($"a classifier needs at least 2 classes, got {numClasses}", nameof(numClasses));
        (NumClasses, this.stages, this.whole, this.plan) = (numClasses, stages, whole, plan);
    }

    /// <inheritdoc/>
    public override int NumClasses { get; }

    /// <inheritdoc/>
    public override bool IsStaged => stages is not null;

    /// <summary>A model that runs <paramref name="stages"/> one after the other, each one layer group.</summary>
    /// <param name="name">the model's name (model.json, logs).</param>
    /// <param name="numClasses">the number of classes the last stage's logits score.</param>
    /// <param name="stages">input to output; each stage's module becomes a submodule named after the stage, so its tensors are named <c>stage.tensor</c>.</param>
    /// <exception cref="ArgumentException">no stage, two stages with one name, or a stage without tensors.</exception>
    public static CustomModel Staged(string name, int numClasses, IReadOnlyList<ModelStage> stages)
    {
        if (stages.Count == 0) throw new ArgumentException("a model needs at least one stage", nameof(stages));
        var plan = new LayerGroupPlan();
        foreach (var stage in stages) plan.Add(stage.Name, stage.Role, stage.ForwardFlopsPerSample, stage.Name);
        var model = new CustomModel(name, numClasses, [.. stages.Select(s => s.Module)], null, plan);
        foreach (var stage in stages) model.register_module(stage.Name, stage.Module);
        model.CheckGroups();
        return model;
    }

    /// <summary>A model that runs <paramref name="module"/> whole, its tensors cut into <paramref name="groups"/> (input to output).</summary>
    /// <param name="name">the model's name (model.json, logs).</param>
    /// <param name="module">maps a batch of inputs to logits [B, classes]; its tensors keep their own names.</param>
    /// <param name="numClasses">the number of classes the logits score.</param>
    /// <param name="groups">the layer groups, input to output, each owning the tensors under its <see cref="GroupDeclaration.Prefixes"/>.</param>
    /// <exception cref="ArgumentException">a parameter in no group or in two, a group that owns nothing, or a parameter of the
    /// module itself rather than of one of its submodules.</exception>
    public static CustomModel Whole(string name, int numClasses, nn.Module<Tensor, Tensor> module, IReadOnlyList<GroupDeclaration> groups)
    {
        if (groups.Count == 0) throw new ArgumentException("a model needs at least one layer group", nameof(groups));
        if (module.named_parameters(recurse: false).Select(p => p.name).Concat(module.named_buffers(recurse: false).Select(b => b.name)).FirstOrDefault() is { } own)
            throw new ArgumentException($"'{own}' belongs to the module itself; FedLayers groups the tensors of its submodules, so move it into one", nameof(module));
        var plan = new LayerGroupPlan();
        foreach (var group in groups) plan.Add(group.Name, group.Role, group.ForwardFlopsPerSample, [.. group.Prefixes]);
        var model = new CustomModel(name, numClasses, null, module, plan);
        // the module's children become this model's, so the state keeps the module's own tensor names
        foreach (var (childName, child) in module.named_children()) model.register_module(childName, child);
        model.CheckGroups();
        return model;
    }

    /// <inheritdoc/>
    protected override GroupActivation RunGroup(int group, GroupActivation input)
    {
        if (stages is not null) return new GroupActivation(stages[group].call(input.Hidden));
        // a whole model is only ever run over all its groups (LayeredModel.Run refuses less): the last one computes everything
        return group == Groups.Count - 1 ? new GroupActivation(whole!.call(input.Hidden)) : input;
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<LayerGroup> DescribeGroups() => plan.Build(this);

    /// <summary>Builds the groups now, so a bad declaration is refused where the model is made.</summary>
    private void CheckGroups() => _ = Groups;
}
