using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// A projection back to the hidden width, then LayerNorm(residual + projection) (post-norm).
/// Hugging Face has two classes of this shape, BertSelfOutput (after attention, from the hidden
/// width) and BertOutput (after the feed-forward layer, from the intermediate width); both are
/// this one, with the same parameter names.
/// </summary>
public sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    /// <summary>Sized by <paramref name="config"/>, with TorchSharp's default initialisation.</summary>
    /// <param name="config">The encoder's shape (hidden size, LayerNorm epsilon, dropout).</param>
    /// <param name="inputWidth">the hidden size after attention, the intermediate size after the feed-forward layer.</param>
    public BertResidualOutput(BertConfig config, int inputWidth) : base("output")
    {
        dense = nn.Linear(inputWidth, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>LayerNorm(residual + dropout(dense(input))), [B, T, H].</summary>
    /// <param name="input">[B, T, input width]</param>
    /// <param name="residual">what the block added to, [B, T, H].</param>
    public override Tensor forward(Tensor input, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(dropout.forward(dense.forward(input)) + residual).MoveToOuterDisposeScope();
    }
}
