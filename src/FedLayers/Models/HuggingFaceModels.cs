using FedLayers.Data;
using FedLayers.Models.Bert;
using FedLayers.Models.Vit;
using FedLayers.Weights;

namespace FedLayers.Models;

/// <summary>
/// Classifiers built from Hugging Face checkpoint folders (the model <c>hf:PATH</c>): config.json
/// says the architecture (model_type) and its sizes, model.safetensors holds the weights, and a
/// new linear head is added for the dataset's classes.
/// </summary>
public static class HuggingFaceModels
{
    /// <summary>The config.json <c>model_type</c> values <see cref="Create"/> reads.</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["vit", "clip_vision_model", ClipVisionCheckpoint.FullModelType, BertCheckpoint.ModelType, RobertaCheckpoint.ModelType, RobertaCheckpoint.XlmModelType];

    /// <summary>The model types that read token ids; the others read images.</summary>
    private static readonly string[] TextModelTypes = [BertCheckpoint.ModelType, RobertaCheckpoint.ModelType, RobertaCheckpoint.XlmModelType];

    /// <summary>The checkpoint's model with its weights loaded and a new head for <paramref name="numClasses"/> classes.</summary>
    /// <param name="folder">holds config.json and model.safetensors (and optionally preprocessor_config.json).</param>
    /// <param name="numClasses">The number of classes of the new head, at least 2.</param>
    /// <param name="pixels">for image datasets, how their pixels were standardised.</param>
    /// <param name="maxSeqLen">for text datasets, the tokens per text.</param>
    /// <exception cref="UserInputException">The folder is not a supported checkpoint, or it does not suit the dataset (images against text).</exception>
    public static LayeredModel Create(string folder, int numClasses, PixelNormalization? pixels, int? maxSeqLen = null)
    {
        var config = ReadConfig(folder);
        string modelType = config.ModelType;
        return modelType switch
        {
            BertCheckpoint.ModelType => BertCheckpoint.Load(folder, config, numClasses,
                maxSeqLen ?? throw new UserInputException($"{folder}: a {modelType} checkpoint needs a text dataset")),
            RobertaCheckpoint.ModelType or RobertaCheckpoint.XlmModelType => RobertaCheckpoint.Load(folder, config, numClasses,
                maxSeqLen ?? throw new UserInputException($"{folder}: a {modelType} checkpoint needs a text dataset")),
            "vit" => VitCheckpoint.Load(folder, config, numClasses, ImagePixels(folder, modelType, pixels)),
            "clip_vision_model" or ClipVisionCheckpoint.FullModelType =>
                ClipVisionCheckpoint.Load(folder, config, numClasses, ImagePixels(folder, modelType, pixels)),
            _ => throw Unsupported(config),
        };
    }

    /// <summary>Whether the checkpoint in <paramref name="folder"/> is a text model (reads token ids).</summary>
    public static bool ReadsText(string folder) =>
        TextModelTypes.Contains(ReadConfig(folder).ModelType);

    /// <summary>The tokenizer of a text checkpoint.</summary>
    public static ITextEncoder CreateTextEncoder(string folder, int maxSeqLen)
    {
        var config = ReadConfig(folder);
        return config.ModelType switch
        {
            BertCheckpoint.ModelType => BertCheckpoint.CreateTextEncoder(folder, config, maxSeqLen),
            RobertaCheckpoint.ModelType or RobertaCheckpoint.XlmModelType => RobertaCheckpoint.CreateTextEncoder(folder, config, maxSeqLen),
            "vit" or "clip_vision_model" or ClipVisionCheckpoint.FullModelType =>
                throw new UserInputException($"{folder}: a {config.ModelType} checkpoint reads images, not text"),
            _ => throw Unsupported(config),
        };
    }

    private static HuggingFaceConfig ReadConfig(string folder) => Directory.Exists(folder)
        ? HuggingFaceConfig.Read(Path.Combine(folder, HuggingFaceConfig.FileName))
        : throw new UserInputException(
            $"{folder}: folder not found (expected a Hugging Face checkpoint folder with {HuggingFaceConfig.FileName} and {HuggingFaceCheckpoint.WeightsFileName})");

    private static UserInputException Unsupported(HuggingFaceConfig config) =>
        new($"{config.FilePath}: model_type '{config.ModelType}' is not supported (expected one of {string.Join(", ", SupportedModelTypes)})");

    private static PixelNormalization ImagePixels(string folder, string modelType, PixelNormalization? pixels) => pixels switch
    {
        null => throw new UserInputException($"{folder}: a {modelType} checkpoint needs an image dataset"),
        { Mean.Length: 1 or VisionEncoderConfig.Channels } => pixels,
        _ => throw new UserInputException($"{folder}: needs images with 1 or 3 channels, the dataset's have {pixels.Mean.Length}"),
    };
}
