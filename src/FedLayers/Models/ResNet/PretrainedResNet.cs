using FedLayers.Data;
using FedLayers.Weights;
using FedLayers.Weights.Onnx;
using static TorchSharp.torch;

namespace FedLayers.Models.ResNet;

/// <summary>
/// The ImageNet ResNet18 of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 as a
/// <see cref="ResNetClassifier"/> with a new head. That export has 2, 2, 2 and 3 basic blocks
/// per stage (torchvision's ResNet18 has 2 in the last stage too); the shape is read from the graph.
/// </summary>
public static class PretrainedResNet
{
    /// <summary>The input size the network was trained at, and the size of its mean image.</summary>
    public const int NativeImageSize = 224;

    /// <summary>The pretrained network with a new head for <paramref name="numClasses"/> classes (seeded by <c>torch.manual_seed</c>).</summary>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="pixels">How the dataset standardised its images, undone by the preprocessing.</param>
    /// <param name="imageSize">The side images are resized to before the network.</param>
    /// <exception cref="UserInputException">The packaged files are missing or not the expected graph.</exception>
    public static ResNetClassifier Create(int numClasses, PixelNormalization pixels, int imageSize)
    {
        var weights = ResNetOnnxImporter.Import(OnnxReader.ReadFile(PretrainedFiles.ResNet18Onnx));
        var layout = new ResNetLayout(weights.BlocksPerStage, Padding(weights.StemPads), Padding(weights.StridedPads), Padding(weights.MaxPoolPads));
        using var meanImage = ReadMeanImage();
        var model = new ResNetClassifier(numClasses, layout, new ResNetPreprocessing(pixels, imageSize, meanImage));
        NamedTensorLoader.Load(model, weights.Tensors, PretrainedFiles.ResNet18Onnx,
            name => name.StartsWith("fc.", StringComparison.Ordinal) || name.EndsWith(".num_batches_tracked", StringComparison.Ordinal));
        foreach (var t in weights.Tensors.Values) t.Dispose();
        return model;
    }

    /// <summary>The mean image [1, 3, 224, 224] (BGR) that the package's preprocessing subtracts.</summary>
    public static Tensor ReadMeanImage()
    {
        var path = PretrainedFiles.ResNetPreprocessOnnx;
        var graph = OnnxReader.ReadFile(path);
        var subtract = graph.Nodes.FirstOrDefault(n => n.OpType == "Sub")
                       ?? throw new UserInputException($"{path}: expected a Sub node subtracting the mean image");
        return graph.Initializer(subtract.Inputs[1]).ToFloatTensor(path);
    }

    private static Padding2d Padding(long[] onnxPads) => onnxPads.Length == 4
        ? new Padding2d((int)onnxPads[0], (int)onnxPads[1], (int)onnxPads[2], (int)onnxPads[3])
        : throw new UserInputException($"{PretrainedFiles.ResNet18Onnx}: expected 4 pads per 2-d operator, found {onnxPads.Length}");
}
