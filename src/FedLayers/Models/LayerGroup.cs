namespace FedLayers.Models;

/// <summary>
/// One named group of a model's state: the unit that is selected, trained, uploaded and
/// aggregated. <see cref="ParameterNames"/> are trainable tensors; <see cref="BufferNames"/>
/// are state that travels with the group (e.g. BatchNorm running statistics).
/// </summary>
public sealed record LayerGroup(
    string Name,
    int Index,
    LayerRole Role,
    IReadOnlyList<string> ParameterNames,
    IReadOnlyList<string> BufferNames,
    long ParameterCount,
    long ForwardFlopsPerSample)
{
    /// <summary>Every state-dict entry this group owns: parameters, then buffers.</summary>
    public IEnumerable<string> TensorNames => ParameterNames.Concat(BufferNames);
}
