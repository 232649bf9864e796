using FedLayers.Data;
using FedLayers.Weights;

namespace FedLayers.Models.Vit;

/// <summary>A <see cref="VitClassifier"/> from a Hugging Face ViT checkpoint folder (model_type "vit").</summary>
public static class VitCheckpoint
{
    private const string TaskModelPrefix = "vit.";

    /// <summary>The checkpoint's encoder with its weights loaded and a new head.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="config">Its config.json, already read.</param>
    /// <param name="numClasses">The number of classes of the new head.</param>
    /// <param name="datasetPixels">How the dataset standardised its images.</param>
    /// <exception cref="UserInputException">The config, preprocessor_config.json or the weights do not describe a ViT encoder.</exception>
    public static VitClassifier Load(string folder, HuggingFaceConfig config, int numClasses, PixelNormalization datasetPixels)
    {
        var encoder = VisionEncoderConfig.FromVit(config);
        var modelPixels = VisionPreprocessing.ModelNormalization(folder, VisionPreprocessing.VitDefault);
        return HuggingFaceCheckpoint.Load(folder, config,
            _ => new VitClassifier(encoder, numClasses, datasetPixels, modelPixels),
            Names.Map);
    }

    /// <summary>
    /// ViTForImageClassification and the other task models save the encoder under "vit.". Left out:
    /// ViTModel's pooler and a task model's classifier (the new head reads the class token after the
    /// final layer norm, as ViTForImageClassification does, and has its own classes), and the mask
    /// token, which serves masked image modelling only.
    /// </summary>
    private static readonly CheckpointTensorNames Names = new(TaskModelPrefix, ["pooler.", "classifier."], ["embeddings.mask_token"]);
}
