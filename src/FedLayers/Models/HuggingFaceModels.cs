using FedLayers.Data;
using FedLayers.Models.Vit;
using FedLayers.Weights;

namespace FedLayers.Models;

/// <summary>
/// Classifiers built from Hugging Face checkpoint folders (<c>--model hf:PATH</c>): config.json
/// says the architecture (model_type) and its sizes, model.safetensors holds the weights, and a
/// new linear head is added for the dataset's classes.
/// </summary>
public static class HuggingFaceModels
{
    /// <summary>What <c>--model</c> starts with to name a checkpoint folder.</summary>
    public const string Prefix = "hf:";

    public static readonly IReadOnlyList<string> SupportedModelTypes = ["vit", "clip_vision_model", ClipVisionCheckpoint.FullModelType];

    private static readonly string[] TextModelTypes = ["bert", "roberta", "xlm-roberta"];

    /// <param name="folder">holds config.json and model.safetensors (and optionally preprocessor_config.json).</param>
    /// <param name="pixels">for image datasets, how their pixels were standardised.</param>
    public static LayeredModel Create(string folder, int numClasses, PixelNormalization? pixels)
    {
        if (!Directory.Exists(folder))
            throw new UserInputException(
                $"{folder}: folder not found (expected a Hugging Face checkpoint folder with {HuggingFaceConfig.FileName} and {HuggingFaceCheckpoint.WeightsFileName})");
        var config = HuggingFaceConfig.Read(Path.Combine(folder, HuggingFaceConfig.FileName));
        string modelType = config.ModelType;
        return modelType switch
        {
            "vit" => VitCheckpoint.Load(folder, config, numClasses, ImagePixels(folder, modelType, pixels)),
            "clip_vision_model" or ClipVisionCheckpoint.FullModelType =>
                ClipVisionCheckpoint.Load(folder, config, numClasses, ImagePixels(folder, modelType, pixels)),
            _ when TextModelTypes.Contains(modelType) => throw new UserInputException(
                $"{config.FilePath}: model_type '{modelType}' is a text model, not supported yet (supported: {string.Join(", ", SupportedModelTypes)})"),
            _ => throw new UserInputException(
                $"{config.FilePath}: model_type '{modelType}' is not supported (expected one of {string.Join(", ", SupportedModelTypes)})"),
        };
    }

    private static PixelNormalization ImagePixels(string folder, string modelType, PixelNormalization? pixels) => pixels switch
    {
        null => throw new UserInputException($"--model {Prefix}{folder}: a {modelType} checkpoint needs an image dataset"),
        { Mean.Length: 1 or VisionEncoderConfig.Channels } => pixels,
        _ => throw new UserInputException($"--model {Prefix}{folder}: needs images with 1 or 3 channels, the dataset's have {pixels.Mean.Length}"),
    };
}
