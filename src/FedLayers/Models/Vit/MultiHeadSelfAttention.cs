using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>Bidirectional multi-head self-attention with scale 1/sqrt(head width), as ViT and CLIP compute it.</summary>
public static class MultiHeadSelfAttention
{
    /// <summary>output(attention(query(x), key(x), value(x))) with every token attending to every token: [batch, tokens, width].</summary>
    /// <param name="x">[batch, tokens, width].</param>
    /// <param name="query">The query projection, width to width.</param>
    /// <param name="key">The key projection, width to width.</param>
    /// <param name="value">The value projection, width to width.</param>
    /// <param name="output">The projection of the concatenated heads, width to width.</param>
    /// <param name="heads">The number of heads; must divide the width.</param>
    public static Tensor Apply(Tensor x, Linear query, Linear key, Linear value, Linear output, int heads)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], tokens = x.shape[1], width = x.shape[2], headWidth = width / heads;
        Tensor Split(Tensor t) => t.view(batch, tokens, heads, headWidth).transpose(1, 2);
        // the fused kernel is several times faster on CPU than softmax(QK^T / sqrt(d)) V spelled out
        var context = nn.functional.scaled_dot_product_attention(Split(query.forward(x)), Split(key.forward(x)), Split(value.forward(x)));
        return output.forward(context.transpose(1, 2).reshape(batch, tokens, width)).MoveToOuterDisposeScope();
    }
}
