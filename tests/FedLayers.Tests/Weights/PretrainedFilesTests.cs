using FedLayers.Weights;

namespace FedLayers.Tests.Weights;

public class PretrainedFilesTests
{
    [Fact]
    public void AMissingPackageFileNamesThePathAndThePackage()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<UserInputException>(() => PretrainedFiles.Require(folder.Root, "ResNet18.onnx", "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1"));
        Assert.Contains(folder.Path("ResNet18.onnx"), error.Message);
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", error.Message);
    }
}
