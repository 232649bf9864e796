using static TorchSharp.torch;

namespace FedLayers.Weights;

/// <summary>
/// What a safetensors file holds: its tensors by name, in the order the header lists them, and
/// the optional "__metadata__" strings. The tensors live in CPU memory and belong to the caller,
/// who disposes them (or hands them on).
/// </summary>
/// <param name="Tensors">The tensors by name, in header order.</param>
/// <param name="Metadata">The header's "__metadata__" strings; empty when it has none.</param>
public sealed record SafetensorsContent(
    OrderedDictionary<string, Tensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata);
