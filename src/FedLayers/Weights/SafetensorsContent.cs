using static TorchSharp.torch;

namespace FedLayers.Weights;

/// <summary>
/// What a safetensors file holds: its tensors by name, in the order the header lists them, and
/// the optional "__metadata__" strings. The tensors live in CPU memory and belong to the caller,
/// who disposes them (or hands them on).
/// </summary>
public sealed record SafetensorsContent(
    OrderedDictionary<string, Tensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata);
