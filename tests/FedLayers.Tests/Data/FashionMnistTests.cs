using System.Buffers.Binary;
using System.IO.Compression;
using FedLayers.Data;

namespace FedLayers.Tests.Data;

/// <summary>Loads the installed Fashion-MNIST once for all tests in <see cref="FashionMnistTests"/>.</summary>
public sealed class InstalledFashionMnist : IDisposable
{
    public InstalledFashionMnist() => (Train, Test) = FashionMnist.Load();

    public LabeledDataset Train { get; }
    public LabeledDataset Test { get; }

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

public sealed class FashionMnistTests(InstalledFashionMnist data) : IClassFixture<InstalledFashionMnist>
{
    [Fact]
    public void SplitsHaveTheirPublishedSizesAndImageShape()
    {
        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test.Count);
        Assert.Equal([60000L, 1, 28, 28], data.Train.Inputs.shape);
        Assert.Equal([10000L, 1, 28, 28], data.Test.Inputs.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, data.Train.Inputs.dtype);
    }

    [Fact]
    public void EveryClassIsBalanced()
    {
        Assert.Equal(10, data.Train.NumClasses);
        Assert.Equal("Ankle boot", data.Train.ClassNames[9]);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, data.Train.Labels.Count(l => l == c)));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, data.Test.Labels.Count(l => l == c)));
    }

    [Fact]
    public void TrainInputsAreStandardised()
    {
        using var mean = data.Train.Inputs.mean();
        using var std = data.Train.Inputs.std();
        using var min = data.Train.Inputs.min();

        Assert.InRange(mean.item<float>(), -0.01f, 0.01f);
        Assert.InRange(std.item<float>(), 0.99f, 1.01f);
        // A black pixel maps to -mean/std.
        Assert.Equal(-FashionMnist.PixelMean / FashionMnist.PixelStd, min.item<float>(), 5);
    }
}

public sealed class FashionMnistFileErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fedlayers-fmnist-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void WriteIdx(string name, int magic, int[] dims, byte[] values)
    {
        using var file = File.Create(Path.Combine(_folder, name));
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        var header = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int d = 0; d < dims.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dims[d]);
        zip.Write(header);
        zip.Write(values);
    }

    private void WriteTrain(int images, byte[] labels)
    {
        WriteIdx("train-images-idx3-ubyte.gz", 0x803, [images, 28, 28], new byte[images * 28 * 28]);
        WriteIdx("train-labels-idx1-ubyte.gz", 0x801, [labels.Length], labels);
    }

    [Fact]
    public void MissingFilesNameThePathAndTheBootstrap()
    {
        var error = Assert.Throws<UserInputException>(() => FashionMnist.Load(_folder));

        Assert.Contains(Path.Combine(_folder, "train-images-idx3-ubyte.gz"), error.Message);
        Assert.Contains("scripts/bootstrap.sh", error.Message);
        Assert.Contains("dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void DifferentImageAndLabelCountsNameBothFiles()
    {
        WriteTrain(images: 3, labels: [0, 1]);

        var error = Assert.Throws<UserInputException>(() => FashionMnist.Load(_folder));

        Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
        Assert.Contains("train-labels-idx1-ubyte.gz", error.Message);
        Assert.Contains("expected 3 labels", error.Message);
    }

    [Fact]
    public void LabelOutsideTheTenClassesIsRejected()
    {
        WriteTrain(images: 2, labels: [9, 10]);

        var error = Assert.Throws<UserInputException>(() => FashionMnist.Load(_folder));

        Assert.Contains("train-labels-idx1-ubyte.gz", error.Message);
        Assert.Contains("expected labels 0..9, found 10", error.Message);
    }
}
