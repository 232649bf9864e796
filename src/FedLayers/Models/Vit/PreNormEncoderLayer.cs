using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// The pre-norm transformer block ViT and CLIP share: x + Attention(norm1(x)), then
/// x + MLP(norm2(x)). Subclasses only register the modules under their checkpoint's names.
/// </summary>
public abstract class PreNormEncoderLayer : ExplicitlyNamedModule
{
    /// <summary>The norm before attention.</summary>
    protected readonly LayerNorm Norm1;

    /// <summary>The query projection.</summary>
    protected readonly Linear Query;

    /// <summary>The key projection.</summary>
    protected readonly Linear Key;

    /// <summary>The value projection.</summary>
    protected readonly Linear Value;

    /// <summary>The projection of the attention's output.</summary>
    protected readonly Linear AttentionOutput;

    /// <summary>The norm before the MLP.</summary>
    protected readonly LayerNorm Norm2;

    /// <summary>The MLP's first layer, to the intermediate width.</summary>
    protected readonly Linear MlpIn;

    /// <summary>The MLP's second layer, back to the hidden width.</summary>
    protected readonly Linear MlpOut;
    private readonly VisionEncoderConfig config;

    /// <summary>Creates the modules, unregistered: a subclass registers them under its checkpoint's names.</summary>
    /// <param name="config">The encoder's shape and activation.</param>
    /// <param name="qkvBias">Whether the query, key and value projections have a bias.</param>
    protected PreNormEncoderLayer(VisionEncoderConfig config, bool qkvBias) : base("layer")
    {
        this.config = config;
        int width = config.HiddenSize;
        Norm1 = nn.LayerNorm(width, config.LayerNormEps);
        Query = nn.Linear(width, width, hasBias: qkvBias);
        Key = nn.Linear(width, width, hasBias: qkvBias);
        Value = nn.Linear(width, width, hasBias: qkvBias);
        AttentionOutput = nn.Linear(width, width);
        Norm2 = nn.LayerNorm(width, config.LayerNormEps);
        MlpIn = nn.Linear(width, config.IntermediateSize);
        MlpOut = nn.Linear(config.IntermediateSize, width);
    }

    /// <summary>[B, tokens, width] in and out.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input + MultiHeadSelfAttention.Apply(Norm1.forward(input), Query, Key, Value, AttentionOutput, config.Heads);
        x = x + MlpOut.forward(config.Activation.Apply(MlpIn.forward(Norm2.forward(x))));
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>Forward FLOPs of the layer per image.</summary>
    public long Flops => TransformerBlock.Flops(config.Tokens, config.HiddenSize, config.IntermediateSize);
}
