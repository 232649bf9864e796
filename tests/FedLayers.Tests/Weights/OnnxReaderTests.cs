using FedLayers.Weights;
using FedLayers.Weights.Onnx;

namespace FedLayers.Tests.Weights;

public class OnnxReaderTests
{
    [Fact]
    public void ReadsThePackagedResNet18Graph()
    {
        var graph = OnnxReader.ReadFile(PretrainedFiles.ResNet18Onnx);
        Assert.Equal(["Input247"], graph.Inputs);
        // the packaged "ResNet18" has 2, 2, 2 and 3 basic blocks per stage: 1 + 2 * 9 + 3 shortcut convolutions
        Assert.Equal(22, graph.Nodes.Count(n => n.OpType == "Conv"));
        Assert.Equal(22, graph.Nodes.Count(n => n.OpType == "BatchNormalization"));
        var stem = graph.Nodes.First(n => n.OpType == "Conv");
        Assert.Equal([64L, 3, 7, 7], graph.Initializer(stem.Inputs[1]).Dims);
        Assert.Equal([3L, 3, 2, 2], stem.Ints("pads", []));
        Assert.Equal(64 * 3 * 7 * 7 * 4, graph.Initializer(stem.Inputs[1]).Data.Length);
    }

    [Fact]
    public void ACorruptFileIsNamed()
    {
        using var folder = new TempFolder();
        var path = folder.Path("broken.onnx");
        File.WriteAllBytes(path, File.ReadAllBytes(PretrainedFiles.ResNetPreprocessOnnx)[..5000]);
        var error = Assert.Throws<UserInputException>(() => OnnxReader.ReadFile(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var error = Assert.Throws<UserInputException>(() => OnnxReader.ReadFile("/nonexistent/model.onnx"));
        Assert.Contains("/nonexistent/model.onnx", error.Message);
    }
}
