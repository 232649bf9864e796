using FedLayers.Weights;

namespace FedLayers.Models.Vit;

/// <summary>
/// The shape of a ViT-style image encoder, read from the fields that Hugging Face's ViTConfig and
/// CLIPVisionConfig share. Sizes are required; fields with a well-known default in those config
/// classes (num_channels, layer_norm_eps, hidden_act, qkv_bias) take that default when absent, as
/// the transformers library does.
/// </summary>
/// <param name="HiddenSize">[hidden_size] the token width; a multiple of <paramref name="Heads"/>.</param>
/// <param name="Layers">[num_hidden_layers] encoder layers.</param>
/// <param name="Heads">[num_attention_heads] attention heads.</param>
/// <param name="IntermediateSize">[intermediate_size] the MLP's width.</param>
/// <param name="ImageSize">[image_size] the input's side in pixels.</param>
/// <param name="PatchSize">[patch_size] a patch's side in pixels.</param>
/// <param name="LayerNormEps">[layer_norm_eps] the layer norms' epsilon.</param>
/// <param name="Activation">[hidden_act] the MLP's activation.</param>
/// <param name="QkvBias">[qkv_bias] whether the query, key and value projections have biases.</param>
public sealed record VisionEncoderConfig(
    int HiddenSize,
    int Layers,
    int Heads,
    int IntermediateSize,
    int ImageSize,
    int PatchSize,
    double LayerNormEps,
    HiddenActivation Activation,
    bool QkvBias)
{
    /// <summary>Images enter as RGB; grayscale datasets are repeated to three channels.</summary>
    public const int Channels = 3;

    /// <summary>Patches per side; a remainder of the image is not covered, as in Hugging Face's strided convolution.</summary>
    public int GridSize => ImageSize / PatchSize;

    /// <summary>The class token and one token per patch.</summary>
    public int Tokens => GridSize * GridSize + 1;

    /// <summary>A ViTConfig (<c>model_type: vit</c>).</summary>
    public static VisionEncoderConfig FromVit(HuggingFaceConfig config) =>
        Read(config, defaultLayerNormEps: 1e-12, defaultActivation: "gelu", qkvBias: config.GetBool("qkv_bias", true));

    /// <summary>A CLIPVisionConfig: the file of a <c>clip_vision_model</c>, or the <c>vision_config</c> of a full <c>clip</c> checkpoint.
    /// CLIP's attention projections always have biases.</summary>
    public static VisionEncoderConfig FromClipVision(HuggingFaceConfig config) =>
        Read(config, defaultLayerNormEps: 1e-5, defaultActivation: "quick_gelu", qkvBias: true);

    private static VisionEncoderConfig Read(HuggingFaceConfig config, double defaultLayerNormEps, string defaultActivation, bool qkvBias)
    {
        int Positive(string field)
        {
            int value = config.GetInt(field);
            return value >= 1 ? value : throw config.InvalidField(field, $"is {value} (expected at least 1)");
        }
        int hidden = Positive("hidden_size");
        int layers = Positive("num_hidden_layers");
        int heads = Positive("num_attention_heads");
        int intermediate = Positive("intermediate_size");
        int imageSize = Positive("image_size");
        int patchSize = Positive("patch_size");
        if (hidden % heads != 0)
            throw config.InvalidField("hidden_size", $"is {hidden}, not divisible by num_attention_heads ({heads})");
        if (patchSize > imageSize)
            throw config.InvalidField("patch_size", $"is {patchSize}, larger than image_size ({imageSize})");
        int channels = config.GetInt("num_channels", Channels);
        if (channels != Channels)
            throw config.InvalidField("num_channels", $"is {channels} (expected {Channels}: images enter the encoder as RGB)");
        double eps = config.GetDouble("layer_norm_eps", defaultLayerNormEps);
        if (!(eps > 0))
            throw config.InvalidField("layer_norm_eps", $"is {eps} (expected a positive number)");
        string activationName = config.GetString("hidden_act", defaultActivation);
        var activation = HiddenActivation.Find(activationName)
            ?? throw config.InvalidField("hidden_act", $"is \"{activationName}\" (expected one of {string.Join(", ", HiddenActivation.SupportedNames)})");
        return new VisionEncoderConfig(hidden, layers, heads, intermediate, imageSize, patchSize, eps, activation, qkvBias);
    }
}
