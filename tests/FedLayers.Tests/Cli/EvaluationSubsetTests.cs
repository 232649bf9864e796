using System.Text.Json;
using FedLayers.Tests.Data;

namespace FedLayers.Tests.Cli;

public class EvaluationSubsetTests
{
    [Fact]
    public void EvalSamplesEvaluatesOnThatManyTestSamples()
    {
        using var folder = new TempFolder();
        Cifar10Tests.WriteBatches(folder, 20); // 20 test images
        var run = folder.Path("run");
        var (code, _, error) = CliRunner.Run("simulate", "--model", "small-cnn", "--dataset", $"cifar10:{folder.Root}", "--partition", "iid",
            "--clients", "4", "--clients-per-round", "2", "--rounds", "3", "--local-steps", "2", "--batch-size", "8", "--eval-samples", "7", "--out", run);
        Assert.True(code == 0, error);
        foreach (var line in File.ReadAllLines(Path.Combine(run, "metrics.jsonl")))
        {
            double correct = JsonDocument.Parse(line).RootElement.GetProperty("test_accuracy").GetDouble() * 7;
            Assert.Equal(Math.Round(correct), correct, 9); // a whole number of the 7 samples
        }
    }
}
