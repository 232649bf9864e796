using FedLayers.Tests.Models;

namespace FedLayers.Tests.Cli;

public class InspectCommandTests
{
    [Fact]
    public void ListsTheResNetGroupsWithRolesAndTotals()
    {
        var (code, output, error) = CliRunner.Run("inspect", "--model", "resnet18", "--image-size", "224");
        Assert.True(code == 0, error);
        foreach (var expected in new[] { "stem", "layer1.0", "layer4.2", "head", "Fixed", "Selectable", "Common" })
            Assert.Contains(expected, output);
        Assert.Contains("15,902,282", output); // 11,176,512 + 4,720,640 (the export's third 512-wide block) + a 10-class head
    }

    [Fact]
    public void ListsMiniLmWithoutADataset()
    {
        var (code, output, error) = CliRunner.Run("inspect", "--model", "minilm");
        Assert.True(code == 0, error);
        foreach (var expected in new[] { "embeddings", "encoder.layer.0", "encoder.layer.5", "head" })
            Assert.Contains(expected, output);
        Assert.Contains("22,566,146", output); // 22,565,376 encoder parameters (the published count without the pooler) + a 2-class head
    }

    [Fact]
    public void DescribesADatasetWithItsClassBalanceAndDomains()
    {
        var (code, output, error) = CliRunner.Run("inspect", "--dataset", "spamassassin");
        Assert.True(code == 0, error);
        Assert.Contains("spamassassin: 4,837 training and 1,209 test samples, 2 classes", output);
        foreach (var expected in new[] { "ham", "spam", "easy-ham-1", "spam-2", "loaded in" })
            Assert.Contains(expected, output);
    }

    [Fact]
    public void NeitherModelNorDatasetIsRefused()
    {
        var (code, _, error) = CliRunner.Run("inspect");
        Assert.Equal(2, code);
        Assert.Contains("--model, --dataset", error);
    }

    [Fact]
    public void AnUnknownModelIsNamed()
    {
        var (code, _, error) = CliRunner.Run("inspect", "--model", "vgg99");
        Assert.Equal(2, code);
        Assert.Contains("--model", error);
        Assert.Contains("vgg99", error);
    }

    [Fact]
    public void ImageSizeIsRejectedForModelsThatDoNotResize()
    {
        var (code, _, error) = CliRunner.Run("inspect", "--model", "small-cnn", "--image-size", "64");
        Assert.Equal(2, code);
        Assert.Contains("--image-size", error);
    }

    [Fact]
    public void ListsTheGroupsOfAHuggingFaceCheckpoint()
    {
        using var folder = new TempFolder();
        string checkpoint = TinyVisionCheckpoints.Write(folder.Path("vit"), TinyVisionCheckpoints.VitConfig(), TinyVisionCheckpoints.VitTensors(seed: 1));
        var (code, output, error) = CliRunner.Run("inspect", "--model", "hf:" + checkpoint);
        Assert.True(code == 0, error);
        foreach (var expected in new[] { "embeddings", "encoder.layer.0", "encoder.layer.1", "head", "Fixed", "Selectable", "Common" })
            Assert.Contains(expected, output);
    }

    [Fact]
    public void ABrokenHuggingFaceCheckpointIsABadInputNamingTheFile()
    {
        using var folder = new TempFolder();
        string checkpoint = TinyVisionCheckpoints.Write(folder.Path("vit"), TinyVisionCheckpoints.VitConfig(), TinyVisionCheckpoints.VitTensors(seed: 1));
        File.WriteAllText(Path.Combine(checkpoint, "model.safetensors"), "not a safetensors file");
        var (code, _, error) = CliRunner.Run("inspect", "--model", "hf:" + checkpoint);
        Assert.Equal(2, code);
        Assert.Contains(Path.Combine(checkpoint, "model.safetensors"), error);
    }
}
