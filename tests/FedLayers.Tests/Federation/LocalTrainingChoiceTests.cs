using System.Text.Json;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Tests.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

/// <summary>The optimiser, the loss and the learning-rate schedule a client trains with, from the API and from the command line.</summary>
public class LocalTrainingChoiceTests
{
    private static IReadOnlyDictionary<string, Tensor> Deltas(LocalTrainingOptions options)
    {
        using var data = TinyData.Images(32, classes: 3, size: 8);
        torch.manual_seed(4);
        using var model = new LinearChainModel(64, 2, 3);
        using var global = ModelState.Capture(model);
        var update = new ClientTrainer(model, CPU).Train(0, global, data, [.. Enumerable.Range(0, 32)], ["layers.2", "head"], options, new Random(3));
        Assert.True(double.IsFinite(update.TrainLoss));
        return update.Deltas;
    }

    [Fact]
    public void EveryOptimiserAndLossMovesTheTrainedLayersItsOwnWay()
    {
        var plain = new LocalTrainingOptions(2, null, 0.05, 8);
        var variants = new[]
        {
            Deltas(plain),
            Deltas(plain with { Optimizer = new LocalOptimizer.Sgd(Momentum: 0.9, WeightDecay: 0.01, Nesterov: true) }),
            Deltas(plain with { Optimizer = new LocalOptimizer.Adam() }),
            Deltas(plain with { Optimizer = new LocalOptimizer.AdamW(WeightDecay: 0.5) }),
            Deltas(plain with { Loss = new TrainingLoss.CrossEntropy(LabelSmoothing: 0.2) }),
        };
        Assert.True(TensorAssert.BitwiseEqual(variants[0]["layers.3.weight"], Deltas(plain with { Optimizer = new LocalOptimizer.Sgd() })["layers.3.weight"]));
        for (int i = 0; i < variants.Length; i++)
            for (int j = i + 1; j < variants.Length; j++)
                Assert.False(TensorAssert.BitwiseEqual(variants[i]["layers.3.weight"], variants[j]["layers.3.weight"]), $"variants {i} and {j} trained alike");
    }

    [Fact]
    public void SchedulesGiveEachRoundItsRate()
    {
        Assert.Equal(0.1, LearningRateSchedule.Constant.RateAt(0.1, 7));
        var cosine = new LearningRateSchedule.Cosine(Rounds: 10, MinFactor: 0.1);
        Assert.Equal(1.0, cosine.RateAt(1.0, 1), 12);
        Assert.Equal(0.55, cosine.RateAt(1.0, 6), 12);
        Assert.Equal(0.1, cosine.RateAt(1.0, 11), 12);
        var step = new LearningRateSchedule.Step(Every: 2, Factor: 0.5);
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.25], Enumerable.Range(1, 5).Select(r => step.RateAt(1.0, r)));
        var options = new LocalTrainingOptions(1, null, 0.2, 8) { Schedule = step };
        Assert.Equal(0.1, options.ForRound(3).LearningRate, 12);
        Assert.Equal(0.1, options.ForRound(3).ForRound(3).LearningRate, 12);
    }

    [Theory]
    [InlineData("Momentum")]
    [InlineData("Nesterov")]
    [InlineData("Beta2")]
    [InlineData("LabelSmoothing")]
    [InlineData("Every")]
    [InlineData("MinFactor")]
    public void ABadValueIsRefusedWhereItIsMadeNamingItsField(string field)
    {
        Action make = field switch
        {
            "Momentum" => () => _ = new LocalOptimizer.Sgd(Momentum: 1),
            "Nesterov" => () => _ = new LocalOptimizer.Sgd(Nesterov: true),
            "Beta2" => () => _ = new LocalOptimizer.AdamW(Beta2: double.NaN),
            "LabelSmoothing" => () => _ = new TrainingLoss.CrossEntropy(-0.1),
            "Every" => () => _ = new LearningRateSchedule.Step(0, 0.5),
            _ => () => _ = new LearningRateSchedule.Cosine(5, 1.5),
        };
        Assert.Equal(field, Assert.Throws<ArgumentException>(make).ParamName);
    }

    [Fact]
    public void TheCommandLineChoosesThemAndTheRunFolderRecordsThem()
    {
        using var folder = new TempFolder();
        var run = folder.Path("run");
        var (code, _, error) = CliRunner.Run("simulate", "--model", "small-cnn", "--strategy", "top", "--rounds", "2", "--clients", "6",
            "--clients-per-round", "2", "--local-steps", "2", "--max-samples-per-client", "40", "--eval-samples", "200",
            "--optimizer", "adamw", "--weight-decay", "0.05", "--loss", "cross-entropy", "--label-smoothing", "0.1",
            "--lr-schedule", "step", "--lr-step-rounds", "1", "--lr", "0.001", "--out", run);
        Assert.True(code == 0, error);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))).RootElement;
        Assert.Equal("adamw", config.GetProperty("optimizer").GetString());
        Assert.Equal(0.05, config.GetProperty("weight-decay").GetDouble());
        Assert.Equal(0.1, config.GetProperty("label-smoothing").GetDouble());
        Assert.Equal("step", config.GetProperty("lr-schedule").GetString());
    }
}
