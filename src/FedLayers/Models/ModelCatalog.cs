using FedLayers.Models.Bert;

namespace FedLayers.Models;

/// <summary>The models <c>--model</c> can name, built for a dataset's input shape and class count.</summary>
public static class ModelCatalog
{
    public static readonly IReadOnlyList<string> Names = ["small-cnn", "small-transformer", "minilm"];

    /// <param name="inputShape">one sample's shape, e.g. [1, 28, 28] for images, [maxSeqLen] for token ids.</param>
    public static LayeredModel Create(string name, IReadOnlyList<long> inputShape, int numClasses) => name switch
    {
        "small-cnn" => new SmallCnn(numClasses, (int)inputShape[0], SquareSize(name, inputShape)),
        "small-transformer" => new SmallTransformer(numClasses, (int)inputShape[0], SquareSize(name, inputShape)),
        "minilm" => MiniLm.CreateClassifier(numClasses, SequenceLength(name, inputShape)),
        _ => throw new UserInputException($"--model: unknown model '{name}'; expected one of {string.Join(", ", Names)}"),
    };

    private static int SquareSize(string model, IReadOnlyList<long> shape) =>
        shape.Count == 3 && shape[1] == shape[2]
            ? (int)shape[1]
            : throw new UserInputException($"--model {model}: needs square images [channels, size, size], the dataset gives [{string.Join(", ", shape)}]");

    private static int SequenceLength(string model, IReadOnlyList<long> shape) =>
        shape.Count == 1 && shape[0] is > 0 and <= int.MaxValue
            ? (int)shape[0]
            : throw new UserInputException($"--model {model}: needs token ids [max-seq-len], the dataset gives [{string.Join(", ", shape)}]");
}
