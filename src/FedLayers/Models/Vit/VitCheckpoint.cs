using FedLayers.Data;
using FedLayers.Weights;

namespace FedLayers.Models.Vit;

/// <summary>A <see cref="VitClassifier"/> from a Hugging Face ViT checkpoint folder (model_type "vit").</summary>
public static class VitCheckpoint
{
    private const string TaskModelPrefix = "vit.";

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
