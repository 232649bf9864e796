using FedLayers.Federation;
using FedLayers.Reporting;
using FedLayers.Setup;
using FedLayers.Weights;

namespace FedLayers.Tests.Federation;

/// <summary>A run stopped in the middle of a round and resumed from its checkpoint ends exactly as an uninterrupted run.</summary>
public class ResumeTests(FashionMnistSlice data) : IClassFixture<FashionMnistSlice>
{
    private static RunConfig Config(string folder) => RunConfig.Defaults()
        .With(RunSettings.Model, "small-cnn")
        .With(RunSettings.Strategy, "strategic")
        .With(RunSettings.Clients, 6)
        .With(RunSettings.ClientsPerRound, 3)
        .With(RunSettings.Rounds, 3)
        .With(RunSettings.LocalSteps, 3)
        .With(RunSettings.Lr, 0.1)
        .With(RunSettings.BatchSize, 16)
        .With(RunSettings.SelectEvery, 2)
        .With(RunSettings.ProbeBatches, 2)
        .With(RunSettings.Diagnostics, true)
        .With(RunSettings.Out, folder);

    /// <summary>Stops the run once the first client of <paramref name="round"/> has finished, as a kill in the middle of that round would.</summary>
    private sealed class StopInRound(int round, CancellationTokenSource stop) : IRoundSink
    {
        public void OnClientFinished(int r, int finished, int total) { if (r == round) stop.Cancel(); }
        public void OnRound(RoundRecord record) { }
    }

    [Fact]
    public async Task AResumedRunEndsWithBitwiseTheWeightsAndLogsOfAnUninterruptedOne()
    {
        using var folder = new TempFolder();
        await Simulation.RunAsync(Config(folder.Path("whole")), data.Splits, [], _ => { });

        using var stop = new CancellationTokenSource();
        var stopped = Config(folder.Path("stopped"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Simulation.RunAsync(stopped, data.Splits, [new StopInRound(2, stop)], _ => { }, stop.Token));
        Assert.Equal(2, File.ReadAllLines(folder.Path("stopped", "metrics.jsonl")).Length); // rounds 0 and 1
        await Simulation.RunAsync(stopped, data.Splits, [], _ => { }, resume: true);

        TensorAssert.SameTensorsInFiles(folder.Path("whole", RunFolder.CheckpointFileName), folder.Path("stopped", RunFolder.CheckpointFileName));
        Assert.Equal(SimulationTests.WithoutTimes(folder.Path("whole", "metrics.jsonl")), SimulationTests.WithoutTimes(folder.Path("stopped", "metrics.jsonl")));
        Assert.Equal(File.ReadAllText(folder.Path("whole", "selections.jsonl")), File.ReadAllText(folder.Path("stopped", "selections.jsonl")));
    }

    [Fact]
    public async Task RoundsLoggedAfterTheCheckpointAreDroppedAndRedone()
    {
        using var folder = new TempFolder();
        var config = Config(folder.Path("run")).With(RunSettings.Rounds, 2);
        await Simulation.RunAsync(config, data.Splits, [], _ => { });
        // as if killed after round 2 was logged but before its checkpoint replaced round 1's
        await Simulation.RunAsync(config.With(RunSettings.Rounds, 1).With(RunSettings.Out, folder.Path("one")), data.Splits, [], _ => { });
        File.Copy(folder.Path("one", RunFolder.CheckpointFileName), folder.Path("run", RunFolder.CheckpointFileName), overwrite: true);
        var before = SimulationTests.WithoutTimes(folder.Path("run", "metrics.jsonl"));

        await Simulation.RunAsync(config, data.Splits, [], _ => { }, resume: true);
        Assert.Equal(before, SimulationTests.WithoutTimes(folder.Path("run", "metrics.jsonl")));
        Assert.Equal(2, File.ReadAllLines(folder.Path("run", "selections.jsonl")).Length);
    }

    [Fact]
    public async Task AResumedRunMayGoOnForMoreRoundsButNotChangeWhatDecidesItsNumbers()
    {
        using var folder = new TempFolder();
        var config = Config(folder.Path("run")).With(RunSettings.Rounds, 1);
        await Simulation.RunAsync(config, data.Splits, [], _ => { });
        var error = await Assert.ThrowsAsync<UserInputException>(() =>
            Simulation.RunAsync(config.With(RunSettings.Lr, 0.2), data.Splits, [], _ => { }, resume: true));
        Assert.Contains("--lr 0.2 differs from 0.1", error.Message);
        var summary = await Simulation.RunAsync(config.With(RunSettings.Rounds, 2), data.Splits, [], _ => { }, resume: true);
        Assert.Equal(2, summary.Rounds);
        Assert.Equal(3, File.ReadAllLines(folder.Path("run", "metrics.jsonl")).Length);
    }

}
