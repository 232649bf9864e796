using FedLayers.Data;

namespace FedLayers.Tests.Data;

/// <summary>CIFAR-10 binary batches, generated in exactly the official format.</summary>
public class Cifar10Tests
{
    /// <summary>Writes five training batches and a test batch of <paramref name="perFile"/> records; record i of
    /// every file has label i % 10 and all its red bytes equal to i.</summary>
    internal static void WriteBatches(TempFolder folder, int perFile)
    {
        foreach (var file in Cifar10.TrainFiles.Append(Cifar10.TestFile))
        {
            var bytes = new byte[perFile * Cifar10.RecordSize];
            for (int i = 0; i < perFile; i++)
            {
                bytes[i * Cifar10.RecordSize] = (byte)(i % 10);
                Array.Fill(bytes, (byte)i, i * Cifar10.RecordSize + 1, 1024);
            }
            File.WriteAllBytes(folder.Path(file), bytes);
        }
    }

    [Fact]
    public void ReadsEveryBatchWithLabelsAndChannelOrder()
    {
        using var folder = new TempFolder();
        WriteBatches(folder, 12);
        var (train, test) = Cifar10.Load(folder.Root);
        using (train)
        using (test)
        {
            Assert.Equal(60, train.Count);
            Assert.Equal(12, test.Count);
            Assert.Equal([3L, 32, 32], train.Inputs.shape[1..]);
            Assert.Equal(1L, train.Labels[13]); // record 1 of the second file
            float red = train.Inputs[13, 0, 5, 5].item<float>(), green = train.Inputs[13, 1, 5, 5].item<float>();
            Assert.Equal((1f / 255f - 0.4914f) / 0.2470f, red, 4); // record 1 of the second file: red bytes 1
            Assert.Equal((0f - 0.4822f) / 0.2435f, green, 4);
            Assert.Equal(3, train.Pixels!.Mean.Length);
        }
    }

    [Fact]
    public void TruncatedFilesBadLabelsAndMissingFilesAreNamed()
    {
        using var folder = new TempFolder();
        WriteBatches(folder, 3);
        var batch = folder.Path("data_batch_2.bin");
        File.WriteAllBytes(batch, File.ReadAllBytes(batch)[..5000]);
        var truncated = Assert.Throws<UserInputException>(() => Cifar10.Load(folder.Root));
        Assert.Contains(batch, truncated.Message);
        Assert.Contains("3073", truncated.Message);

        WriteBatches(folder, 3);
        var test = folder.Path("test_batch.bin");
        var bytes = File.ReadAllBytes(test);
        bytes[Cifar10.RecordSize] = 12;
        File.WriteAllBytes(test, bytes);
        var label = Assert.Throws<UserInputException>(() => Cifar10.Load(folder.Root));
        Assert.Contains(test, label.Message);
        Assert.Contains("label 12", label.Message);

        File.Delete(folder.Path("data_batch_5.bin"));
        Assert.Contains("data_batch_5.bin", Assert.Throws<UserInputException>(() => Cifar10.Load(folder.Root)).Message);
    }

    [Fact]
    public void ResNetSimulatesOnCifar10Batches()
    {
        using var folder = new TempFolder();
        WriteBatches(folder, 20);
        var (code, _, error) = FedLayers.Tests.Cli.CliRunner.Run("simulate", "--dataset", $"cifar10:{folder.Root}", "--partition", "iid",
            "--rounds", "1", "--clients", "4", "--clients-per-round", "2", "--local-steps", "2", "--out", folder.Path("run"));
        Assert.True(code == 0, error);
        Assert.Equal(2, File.ReadAllLines(folder.Path("run", "metrics.jsonl")).Length);
    }

    [Fact]
    public void TheCatalogNeedsAPath() =>
        Assert.Contains("cifar10:PATH", Assert.Throws<UserInputException>(() => BuiltIn.Dataset("cifar10", 1)).Message);
}
