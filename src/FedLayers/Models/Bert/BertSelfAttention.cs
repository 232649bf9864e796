using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// Multi-head scaled dot-product self-attention (Hugging Face BertSelfAttention): the query,
/// key and value projections, softmax(QK^T / sqrt(d) + mask) V per head. Uses the fused
/// <c>scaled_dot_product_attention</c> kernel, which is much faster on CPU than the spelled-out
/// product.
/// </summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly int heads;
    private readonly double dropoutProbability;

    /// <summary>Sized by <paramref name="config"/>, with TorchSharp's default initialisation; attention dropout applies in training mode only.</summary>
    public BertSelfAttention(BertConfig config) : base("self")
    {
        heads = config.NumAttentionHeads;
        dropoutProbability = config.AttentionProbsDropoutProb;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="hidden">[B, T, H]</param>
    /// <param name="keyMask">additive [B, 1, 1, T]: 0 where a key is a real token, a very large negative number where it is padding.</param>
    /// <returns>the per-head contexts, concatenated: [B, T, H]</returns>
    public override Tensor forward(Tensor hidden, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], tokens = hidden.shape[1], width = hidden.shape[2], headWidth = width / heads;
        Tensor Split(Tensor t) => t.view(batch, tokens, heads, headWidth).transpose(1, 2);
        var q = Split(query.forward(hidden));
        var k = Split(key.forward(hidden));
        var v = Split(value.forward(hidden));
        var context = nn.functional.scaled_dot_product_attention(q, k, v, keyMask, training ? dropoutProbability : 0.0);
        return context.transpose(1, 2).reshape(batch, tokens, width).MoveToOuterDisposeScope();
    }
}
