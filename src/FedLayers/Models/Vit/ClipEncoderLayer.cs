namespace FedLayers.Models.Vit;

/// <summary>
/// Hugging Face's CLIPEncoderLayer: layer_norm1, self_attn.{q_proj,k_proj,v_proj,out_proj},
/// layer_norm2, mlp.fc1, mlp.fc2.
/// </summary>
public sealed class ClipEncoderLayer : PreNormEncoderLayer
{
    /// <summary>A layer shaped by <paramref name="config"/>, with TorchSharp's default initialisation, registered under the checkpoint's names.</summary>
    public ClipEncoderLayer(VisionEncoderConfig config) : base(config, qkvBias: true)
    {
        // Hugging Face wraps these in CLIPAttention and CLIPMLP
        register_module("self_attn", new NamedContainer(
            ("q_proj", Query), ("k_proj", Key), ("v_proj", Value), ("out_proj", AttentionOutput)));
        register_module("layer_norm1", Norm1);
        register_module("mlp", new NamedContainer(("fc1", MlpIn), ("fc2", MlpOut)));
        register_module("layer_norm2", Norm2);
    }
}
