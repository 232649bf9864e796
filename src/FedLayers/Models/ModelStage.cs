using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>One stage of a <see cref="CustomModel.Staged"/> model: a module of the user's that is one layer group.</summary>
/// <param name="Name">the group's name; the module's tensors are named "Name.…" in the model's state.</param>
/// <param name="Role">how the group takes part in selective fine-tuning.</param>
/// <param name="Module">the stage: maps the previous stage's output (the model's input for the first) to its own output
/// (the logits [B, classes] for the last). It must own at least one parameter or buffer; wrap a parameterless step
/// (an activation, a pooling) into a neighbouring stage with <c>nn.Sequential</c>.</param>
/// <param name="ForwardFlopsPerSample">its forward FLOPs for one sample; null: twice its parameter count (exact for dense
/// layers, too low for convolutions). Used by the flops cost unit and the reported training FLOPs.</param>
public sealed record ModelStage(string Name, LayerRole Role, nn.Module<Tensor, Tensor> Module, long? ForwardFlopsPerSample = null);
