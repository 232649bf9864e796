namespace FedLayers.Models;

/// <summary>One layer group of a <see cref="CustomModel.Whole"/> model, declared by the names of the tensors it owns.</summary>
/// <param name="Name">the group's name, unique in the model.</param>
/// <param name="Role">how the group takes part in selective fine-tuning.</param>
/// <param name="Prefixes">the group owns every parameter and buffer of the module named as one of these or below one
/// ("blocks.0" owns "blocks.0.weight" and "blocks.0.norm.bias").</param>
/// <param name="ForwardFlopsPerSample">its forward FLOPs for one sample; null: twice its parameter count.</param>
public sealed record GroupDeclaration(string Name, LayerRole Role, IReadOnlyList<string> Prefixes, long? ForwardFlopsPerSample = null);
