using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>A pre-norm transformer encoder block: x + Attn(LN(x)), then x + MLP(LN(x)).</summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm attention_norm;
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear attention_output;
    private readonly LayerNorm mlp_norm;
    private readonly Linear intermediate;
    private readonly Linear output;
    private readonly int heads;

    /// <summary>A block with TorchSharp's default initialisation.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="width">The token width; a multiple of <paramref name="heads"/>.</param>
    /// <param name="heads">The attention heads.</param>
    /// <param name="mlpWidth">The feed-forward layer's width.</param>
    /// <exception cref="ArgumentException"><paramref name="heads"/> does not divide <paramref name="width"/>.</exception>
    public TransformerBlock(string name, int width, int heads, int mlpWidth) : base(name)
    {
        if (width % heads != 0) throw new ArgumentException($"width {width} is not divisible by {heads} heads");
        this.heads = heads;
        attention_norm = nn.LayerNorm(width);
        query = nn.Linear(width, width);
        key = nn.Linear(width, width);
        value = nn.Linear(width, width);
        attention_output = nn.Linear(width, width);
        mlp_norm = nn.LayerNorm(width);
        intermediate = nn.Linear(width, mlpWidth);
        output = nn.Linear(mlpWidth, width);
        RegisterComponents();
    }

    /// <summary>[B, tokens, width] in and out.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input + SelfAttention(attention_norm.forward(input));
        x = x + output.forward(nn.functional.gelu(intermediate.forward(mlp_norm.forward(x))));
        return x.MoveToOuterDisposeScope();
    }

    private Tensor SelfAttention(Tensor x)
    {
        long batch = x.shape[0], tokens = x.shape[1], width = x.shape[2], headWidth = width / heads;
        Tensor Split(Tensor t) => t.view(batch, tokens, heads, headWidth).transpose(1, 2);
        var q = Split(query.forward(x));
        var k = Split(key.forward(x));
        var v = Split(value.forward(x));
        // the fused kernel is several times faster on CPU than softmax(QK^T / sqrt(d)) V spelled out
        var context = nn.functional.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(batch, tokens, width);
        return attention_output.forward(context);
    }

    /// <summary>Forward FLOPs of one block for one sequence of <paramref name="tokens"/> tokens.</summary>
    public static long Flops(int tokens, int width, int mlpWidth) =>
        FlopCount.Linear(width, width, 4L * tokens) + FlopCount.SelfAttention(tokens, width)
        + FlopCount.Linear(width, mlpWidth, tokens) + FlopCount.Linear(mlpWidth, width, tokens);
}
