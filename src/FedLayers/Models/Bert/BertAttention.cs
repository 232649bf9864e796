using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>Self-attention and its output block (Hugging Face BertAttention: <c>attention.self</c>, <c>attention.output</c>).</summary>
public sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    // "self" is the Hugging Face name; it is a plain identifier in C#, so RegisterComponents uses it as is
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;

    /// <summary>Sized by <paramref name="config"/>, with TorchSharp's default initialisation (load trained weights by name).</summary>
    public BertAttention(BertConfig config) : base("attention")
    {
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>LayerNorm(hidden + projected self-attention), [B, T, H].</summary>
    /// <param name="hidden">[B, T, H]</param>
    /// <param name="keyMask">additive [B, 1, 1, T], see <see cref="BertSelfAttention.forward"/>.</param>
    public override Tensor forward(Tensor hidden, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        return output.forward(self.forward(hidden, keyMask), hidden).MoveToOuterDisposeScope();
    }
}
