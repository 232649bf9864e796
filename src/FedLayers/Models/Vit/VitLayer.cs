namespace FedLayers.Models.Vit;

/// <summary>
/// Hugging Face's ViTLayer: layernorm_before, attention.attention.{query,key,value},
/// attention.output.dense, layernorm_after, intermediate.dense, output.dense.
/// </summary>
public sealed class VitLayer : PreNormEncoderLayer
{
    /// <summary>A layer shaped by <paramref name="config"/>, with TorchSharp's default initialisation, registered under the checkpoint's names.</summary>
    public VitLayer(VisionEncoderConfig config) : base(config, config.QkvBias)
    {
        // Hugging Face wraps these in ViTAttention, ViTSelfAttention, ViTSelfOutput, ViTIntermediate and ViTOutput
        register_module("attention", new NamedContainer(
            ("attention", new NamedContainer(("query", Query), ("key", Key), ("value", Value))),
            ("output", new NamedContainer(("dense", AttentionOutput)))));
        register_module("intermediate", new NamedContainer(("dense", MlpIn)));
        register_module("output", new NamedContainer(("dense", MlpOut)));
        register_module("layernorm_before", Norm1);
        register_module("layernorm_after", Norm2);
    }
}
