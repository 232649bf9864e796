using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>The stack of <see cref="BertLayer"/>s (Hugging Face BertEncoder: <c>encoder.layer.{i}</c>).</summary>
public sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer = new();

    /// <summary><see cref="BertConfig.NumHiddenLayers"/> layers sized by <paramref name="config"/>, with TorchSharp's default initialisation.</summary>
    public BertEncoder(BertConfig config) : base("encoder")
    {
        for (int i = 0; i < config.NumHiddenLayers; i++) layer.Add(new BertLayer(config));
        RegisterComponents();
    }

    /// <param name="hidden">the embeddings [B, T, H].</param>
    /// <param name="attentionMask">[B, T], nonzero (or true) for real tokens, zero for padding.
    /// Padding keys are never attended to; outputs at padding positions are meaningless.
    /// As in Hugging Face, the mask is additive with the dtype's lowest finite value rather
    /// than -inf, so a row of padding only still gives finite (uniform) attention, not NaN.</param>
    /// <returns>the last hidden state [B, T, H].</returns>
    public override Tensor forward(Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var keyMask = KeyMask(attentionMask, hidden);
        var x = hidden;
        foreach (var l in layer) x = l.forward(x, keyMask);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Layer <paramref name="index"/> alone, with the attention mask as <see cref="forward"/> takes it.</summary>
    public Tensor Layer(int index, Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        return layer[index].forward(hidden, KeyMask(attentionMask, hidden)).MoveToOuterDisposeScope();
    }

    /// <summary>The additive key mask [B, 1, 1, T] in <paramref name="hidden"/>'s dtype.</summary>
    private static Tensor KeyMask(Tensor attentionMask, Tensor hidden)
    {
        var isPadding = attentionMask.eq(0).view(attentionMask.shape[0], 1, 1, attentionMask.shape[1]);
        return zeros(isPadding.shape, hidden.dtype, hidden.device).masked_fill(isPadding, finfo(hidden.dtype).min);
    }
}
