using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// Hugging Face's ViTLayer, a pre-norm block: x + Attention(layernorm_before(x)), then
/// x + MLP(layernorm_after(x)). Names: attention.attention.{query,key,value},
/// attention.output.dense, intermediate.dense, output.dense, layernorm_before, layernorm_after.
/// </summary>
public sealed class VitLayer : ExplicitlyNamedModule
{
    private readonly LayerNorm layernormBefore;
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear attentionOutput;
    private readonly LayerNorm layernormAfter;
    private readonly Linear intermediate;
    private readonly Linear output;
    private readonly VisionEncoderConfig config;

    public VitLayer(VisionEncoderConfig config) : base("layer")
    {
        this.config = config;
        int width = config.HiddenSize;
        layernormBefore = nn.LayerNorm(width, config.LayerNormEps);
        query = nn.Linear(width, width, hasBias: config.QkvBias);
        key = nn.Linear(width, width, hasBias: config.QkvBias);
        value = nn.Linear(width, width, hasBias: config.QkvBias);
        attentionOutput = nn.Linear(width, width);
        layernormAfter = nn.LayerNorm(width, config.LayerNormEps);
        intermediate = nn.Linear(width, config.IntermediateSize);
        output = nn.Linear(config.IntermediateSize, width);
        // Hugging Face wraps these in ViTAttention, ViTSelfAttention, ViTSelfOutput, ViTIntermediate and ViTOutput
        register_module("attention", new NamedContainer(
            ("attention", new NamedContainer(("query", query), ("key", key), ("value", value))),
            ("output", new NamedContainer(("dense", attentionOutput)))));
        register_module("intermediate", new NamedContainer(("dense", intermediate)));
        register_module("output", new NamedContainer(("dense", output)));
        register_module("layernorm_before", layernormBefore);
        register_module("layernorm_after", layernormAfter);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input + MultiHeadSelfAttention.Apply(layernormBefore.forward(input), query, key, value, attentionOutput, config.Heads);
        x = x + output.forward(config.Activation.Apply(intermediate.forward(layernormAfter.forward(x))));
        return x.MoveToOuterDisposeScope();
    }

    public long Flops => TransformerBlock.Flops(config.Tokens, config.HiddenSize, config.IntermediateSize);
}
