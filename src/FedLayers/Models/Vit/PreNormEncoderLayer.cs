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
    protected readonly LayerNorm Norm1;
    protected readonly Linear Query;
    protected readonly Linear Key;
    protected readonly Linear Value;
    protected readonly Linear AttentionOutput;
    protected readonly LayerNorm Norm2;
    protected readonly Linear MlpIn;
    protected readonly Linear MlpOut;
    private readonly VisionEncoderConfig config;

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

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input + MultiHeadSelfAttention.Apply(Norm1.forward(input), Query, Key, Value, AttentionOutput, config.Heads);
        x = x + MlpOut.forward(config.Activation.Apply(MlpIn.forward(Norm2.forward(x))));
        return x.MoveToOuterDisposeScope();
    }

    public long Flops => TransformerBlock.Flops(config.Tokens, config.HiddenSize, config.IntermediateSize);
}
