using FedLayers.Data;
using FedLayers.Weights;

namespace FedLayers.Models.Vit;

/// <summary>
/// A <see cref="ClipVisionClassifier"/> from a Hugging Face CLIP checkpoint folder: an image tower
/// alone (model_type "clip_vision_model", saved from CLIPVisionModel or CLIPVisionModelWithProjection)
/// or a full CLIPModel (model_type "clip"), whose text tower is left out.
/// </summary>
public static class ClipVisionCheckpoint
{
    /// <summary>The config.json <c>model_type</c> of a full CLIPModel (image and text towers).</summary>
    public const string FullModelType = "clip";
    private const string ProjectionWeight = "visual_projection.weight";

    /// <summary>The checkpoint's image encoder with its weights loaded (the visual projection when saved) and a new head.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="config">Its config.json, already read.</param>
    /// <param name="numClasses">The number of classes of the new head.</param>
    /// <param name="datasetPixels">How the dataset standardised its images.</param>
    /// <exception cref="UserInputException">The config, preprocessor_config.json or the weights do not describe a CLIP image encoder.</exception>
    public static ClipVisionClassifier Load(string folder, HuggingFaceConfig config, int numClasses, PixelNormalization datasetPixels)
    {
        // a full CLIPModel keeps the image tower's fields under vision_config, and projection_dim at the top in both layouts
        var encoder = VisionEncoderConfig.FromClipVision(config.ModelType == FullModelType ? config.GetSection("vision_config") : config);
        var modelPixels = VisionPreprocessing.ModelNormalization(folder, VisionPreprocessing.ClipDefault);
        return HuggingFaceCheckpoint.Load(folder, config,
            names => new ClipVisionClassifier(encoder, names.Contains(ProjectionWeight) ? ProjectionDim(config) : null,
                numClasses, datasetPixels, modelPixels),
            Names.Map);
    }

    private static int ProjectionDim(HuggingFaceConfig config)
    {
        int width = config.GetInt("projection_dim");
        return width >= 1 ? width : throw config.InvalidField("projection_dim", $"is {width} (expected at least 1)");
    }

    /// <summary>
    /// Left out: a full CLIPModel's text tower, text projection and similarity scale, and the
    /// constant position_ids buffer that older exports saved.
    /// </summary>
    private static readonly CheckpointTensorNames Names =
        new("", ["text_model."], ["text_projection.weight", "logit_scale", "vision_model.embeddings.position_ids"]);
}
