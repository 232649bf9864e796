using FedLayers.Data;
using FedLayers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// Turns dataset images into the input a Hugging Face image encoder was trained on: the dataset's
/// standardisation undone (pixels back in [0, 1]), grayscale repeated to RGB, resized to the
/// model's side, then standardised with the model's own per-channel mean and std.
/// </summary>
public sealed class VisionPreprocessing : nn.Module<Tensor, Tensor>
{
    /// <summary>ViTImageProcessor's default (IMAGENET_STANDARD_MEAN and _STD).</summary>
    public static readonly PixelNormalization VitDefault = new([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]);

    /// <summary>CLIPImageProcessor's default (OPENAI_CLIP_MEAN and _STD).</summary>
    public static readonly PixelNormalization ClipDefault = new(
        [0.48145466f, 0.4578275f, 0.40821073f], [0.26862954f, 0.26130258f, 0.27577711f]);

    private readonly InterpolationMode resize;

    /// <summary>A preprocessing module; its constants are non-persistent buffers that move with it and are never saved.</summary>
    /// <param name="dataset">how the dataset standardised its pixels (1 or 3 channels).</param>
    /// <param name="model">the standardisation the encoder expects, per RGB channel.</param>
    /// <param name="imageSize">the encoder's input side in pixels.</param>
    /// <param name="resize">how images are resized to <paramref name="imageSize"/>.</param>
    public VisionPreprocessing(PixelNormalization dataset, PixelNormalization model, int imageSize, InterpolationMode resize) : base("preprocessing")
    {
        ImageSize = imageSize;
        this.resize = resize;
        // not persistent: constants of the pipeline, so they are neither trained, sent nor saved
        register_buffer("dataset_mean", ChannelVector(dataset.Mean), persistent: false);
        register_buffer("dataset_std", ChannelVector(dataset.Std), persistent: false);
        register_buffer("model_mean", ChannelVector(model.Mean), persistent: false);
        register_buffer("model_std", ChannelVector(model.Std), persistent: false);
    }

    /// <summary>The encoder's input side in pixels.</summary>
    public int ImageSize { get; }

    /// <summary>
    /// The model's standardisation: image_mean and image_std of the checkpoint's
    /// preprocessor_config.json when it has them, else <paramref name="fallback"/>.
    /// </summary>
    public static PixelNormalization ModelNormalization(string checkpointFolder, PixelNormalization fallback)
    {
        var processor = HuggingFaceConfig.ReadIfExists(Path.Combine(checkpointFolder, HuggingFaceConfig.PreprocessorFileName));
        if (processor is null) return fallback;
        float[] Channels(string field, float[] defaultValue)
        {
            if (!processor.HasField(field)) return defaultValue;
            var values = processor.GetFloats(field);
            return values.Length == VisionEncoderConfig.Channels
                ? values
                : throw processor.InvalidField(field, $"has {values.Length} values (expected {VisionEncoderConfig.Channels}, one per RGB channel)");
        }
        var std = Channels("image_std", fallback.Std);
        if (std.Any(s => !(s > 0)))
            throw processor.InvalidField("image_std", $"is [{string.Join(", ", std)}] (expected positive numbers)");
        return new PixelNormalization(Channels("image_mean", fallback.Mean), std);
    }

    /// <summary>Dataset images [B, C, H, W] (C = 1 or 3) to the encoder's input [B, 3, size, size].</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var pixels = images * Buffer("dataset_std") + Buffer("dataset_mean");
        if (pixels.shape[1] == 1) pixels = pixels.expand(-1, VisionEncoderConfig.Channels, -1, -1);
        if (pixels.shape[2] != ImageSize || pixels.shape[3] != ImageSize)
            // clamped because bicubic overshoots; the processors resize 8-bit images, which cannot leave [0, 1]
            pixels = nn.functional.interpolate(pixels, [ImageSize, ImageSize], mode: resize, align_corners: false).clamp(0f, 1f);
        return ((pixels - Buffer("model_mean")) / Buffer("model_std")).MoveToOuterDisposeScope();
    }

    private static Tensor ChannelVector(float[] values) => tensor(values).view(1, -1, 1, 1);

    /// <summary>A registered buffer (moved with the module).</summary>
    private Tensor Buffer(string name) => get_buffer(name)!;
}
