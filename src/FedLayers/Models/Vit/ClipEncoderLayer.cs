using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// Hugging Face's CLIPEncoderLayer, a pre-norm block: x + SelfAttention(layer_norm1(x)), then
/// x + MLP(layer_norm2(x)). Names: self_attn.{q_proj,k_proj,v_proj,out_proj}, layer_norm1,
/// mlp.fc1, mlp.fc2, layer_norm2.
/// </summary>
public sealed class ClipEncoderLayer : ExplicitlyNamedModule
{
    private readonly LayerNorm layerNorm1;
    private readonly Linear queryProjection;
    private readonly Linear keyProjection;
    private readonly Linear valueProjection;
    private readonly Linear outputProjection;
    private readonly LayerNorm layerNorm2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly VisionEncoderConfig config;

    public ClipEncoderLayer(VisionEncoderConfig config) : base("layer")
    {
        this.config = config;
        int width = config.HiddenSize;
        layerNorm1 = nn.LayerNorm(width, config.LayerNormEps);
        queryProjection = nn.Linear(width, width);
        keyProjection = nn.Linear(width, width);
        valueProjection = nn.Linear(width, width);
        outputProjection = nn.Linear(width, width);
        layerNorm2 = nn.LayerNorm(width, config.LayerNormEps);
        fc1 = nn.Linear(width, config.IntermediateSize);
        fc2 = nn.Linear(config.IntermediateSize, width);
        // Hugging Face wraps these in CLIPAttention and CLIPMLP
        register_module("self_attn", new NamedContainer(
            ("q_proj", queryProjection), ("k_proj", keyProjection), ("v_proj", valueProjection), ("out_proj", outputProjection)));
        register_module("layer_norm1", layerNorm1);
        register_module("mlp", new NamedContainer(("fc1", fc1), ("fc2", fc2)));
        register_module("layer_norm2", layerNorm2);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input + MultiHeadSelfAttention.Apply(layerNorm1.forward(input),
            queryProjection, keyProjection, valueProjection, outputProjection, config.Heads);
        x = x + fc2.forward(config.Activation.Apply(fc1.forward(layerNorm2.forward(x))));
        return x.MoveToOuterDisposeScope();
    }

    public long Flops => TransformerBlock.Flops(config.Tokens, config.HiddenSize, config.IntermediateSize);
}
