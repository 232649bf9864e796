using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// What flows from one layer group to the next: the hidden tensor (first dimension = sample)
/// and, for text models, the attention mask [B, T] that marks the real tokens. The model's input
/// is the activation before group 0 and its logits the one after the last group.
/// </summary>
public sealed record GroupActivation(Tensor Hidden, Tensor? AttentionMask = null)
{
    /// <summary>The tensors it is made of, the mask only where there is one.</summary>
    public IEnumerable<Tensor> Tensors => AttentionMask is null ? [Hidden] : [Hidden, AttentionMask];

    /// <summary>The rows at <paramref name="rows"/> (int64 indices), as new tensors.</summary>
    public GroupActivation Rows(Tensor rows) => new(Hidden.index_select(0, rows), AttentionMask?.index_select(0, rows));
}
