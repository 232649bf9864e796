using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Models.ResNet;
using FedLayers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>The packaged ImageNet ResNet18, imported into TorchSharp, against ONNX Runtime on the package's own files.</summary>
public class ResNetTests
{
    private static readonly PixelNormalization RawPixels = new([0f, 0f, 0f], [1f, 1f, 1f]);

    private static Tensor RandomRgb255(int size, int seed) => rand([1, 3, size, size], generator: new Generator().manual_seed(seed)) * 255f;

    [Fact]
    public void PreprocessingMatchesThePackagesResNetPreprocessOnnx()
    {
        using var meanImage = PretrainedResNet.ReadMeanImage();
        using var preprocessing = new ResNetPreprocessing(RawPixels, 224, meanImage);
        using var rgb = RandomRgb255(224, 1);
        var expected = OnnxRuntimeReference.Run(PretrainedFiles.ResNetPreprocessOnnx, "OriginalInput", rgb);
        using var fromRaw01 = preprocessing.forward(rgb / 255f);
        Assert.True(MaxAbsDifference(fromRaw01, expected) < 1e-3, "preprocessing of [0,1] pixels");
        using var fromRgb = preprocessing.FromRgb255(rgb);
        Assert.True(MaxAbsDifference(fromRgb, expected) < 1e-4, "preprocessing of 0..255 pixels");
    }

    [Fact]
    public void PooledFeaturesMatchOnnxRuntimeWithin1e4()
    {
        torch.manual_seed(1);
        using var model = PretrainedResNet.Create(10, RawPixels, 224);
        model.eval();
        using var meanImage = PretrainedResNet.ReadMeanImage();
        foreach (var seed in new[] { 2, 3 })
        {
            using var rgb = RandomRgb255(224, seed);
            using var input = model.Preprocessing.FromRgb255(rgb);
            var expected = OnnxRuntimeReference.Run(PretrainedFiles.ResNet18Onnx, "Input247", input);
            using var _ = no_grad();
            using var features = model.Features(input);
            double error = MaxAbsDifference(features, expected);
            Assert.True(error < 1e-4, $"max abs difference {error:E2}");
        }
    }

    [Fact]
    public void GroupsAreStemBlocksHeadAndCountsMatchTheArchitecture()
    {
        using var model = PretrainedResNet.Create(10, RawPixels, 32);
        Assert.Equal(["stem", "layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1", "layer4.2", "head"],
            model.Groups.Select(g => g.Name));
        Assert.Equal(LayerRole.Fixed, model.Groups[0].Role);
        Assert.Equal(LayerRole.Common, model.Groups[^1].Role);
        Assert.Contains("layer2.0.downsample.1.running_mean", model.Groups[3].BufferNames);
        // torchvision's ResNet18 without fc: 11,176,512; this export's extra 512-wide block adds 4,720,640
        Assert.Equal(11_176_512L + 4_720_640L, model.Groups.Take(10).Sum(g => g.ParameterCount));
        Assert.Equal(512 * 10 + 10, model.Groups[^1].ParameterCount);
        using var logits = model.forward(zeros(2, 3, 32, 32));
        Assert.Equal([2L, 10L], logits.shape);
    }

    [Fact]
    public void FrozenBatchNormKeepsItsStatisticsAndTrainedBatchNormMovesThem()
    {
        using var data = TinyData.Images(32);
        torch.manual_seed(5);
        using var model = PretrainedResNet.Create(data.NumClasses, data.Pixels!, 32);
        using var global = ModelState.Capture(model);
        var trained = TrainableGroups.ForMask(model.Groups, Enumerable.Range(0, 9).Select(l => l == 8).ToArray());
        using var update = new ClientTrainer(model, CPU).Train(0, global, data, Enumerable.Range(0, 32).ToList(), trained,
            new LocalTrainingOptions(1, 2, 0.01, 16), new Random(1));
        var state = model.state_dict();
        Assert.True(TensorAssert.BitwiseEqual(state["layer1.0.bn1.running_mean"], global["layer1.0.bn1.running_mean"]), "a frozen block's statistics moved");
        Assert.False(TensorAssert.BitwiseEqual(state["layer4.2.bn1.running_mean"], global["layer4.2.bn1.running_mean"]), "the trained block's statistics did not move");
        Assert.Contains("layer4.2.bn1.running_var", update.Deltas.Keys);
    }

    private static double MaxAbsDifference(Tensor actual, float[] expected)
    {
        var values = actual.contiguous().data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        return values.Zip(expected, (a, b) => Math.Abs((double)a - b)).Max();
    }
}
