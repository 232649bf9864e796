using System.Text.Json;
using FedLayers.Comparison;
using FedLayers.Federation;
using FedLayers.Reporting;
using FedLayers.Setup;
using FedLayers.Tests.Data;

namespace FedLayers.Tests.Comparison;

public class ComparisonRunnerTests
{
    /// <summary>Records which runs started and which were skipped.</summary>
    private sealed class RecordingProgress : IComparisonProgress, IRoundSink
    {
        public List<string> Started { get; } = [];
        public List<string> Skipped { get; } = [];

        public IRoundSink Starting(int index, int count, ComparisonRun run)
        {
            Started.Add($"{index}/{count} {run.Arm.Name} {run.Seed}");
            return this;
        }

        void IComparisonProgress.Skipped(int index, int count, ComparisonRun run) => Skipped.Add($"{index}/{count} {run.Arm.Name} {run.Seed}");

        public void OnRound(RoundRecord record) { }
    }

    private static ComparisonRunner Runner(string data, string folder, RunConfig? config = null) => new(
        config ?? RunConfig.Defaults()
            .With(RunSettings.Model, "small-cnn")
            .With(RunSettings.Dataset, $"cifar10:{data}")
            .With(RunSettings.Partition, "iid")
            .With(RunSettings.Clients, 4)
            .With(RunSettings.ClientsPerRound, 2)
            .With(RunSettings.Rounds, 2)
            .With(RunSettings.LocalSteps, 2)
            .With(RunSettings.BatchSize, 8)
            .With(RunSettings.MinLayers, 1)
            .With(RunSettings.MaxLayers, 2)
            .With(RunSettings.ProbeBatches, 1),
        [ComparisonArm.Of("top"), ComparisonArm.StrategicAt(0.5), ComparisonArm.Of("head")], [1, 2], folder, new ComparisonReportOptions(TargetAccuracy: 0.05, EndpointRounds: 2));

    [Fact]
    public async Task WritesEveryRunTheTableAndThePlotsAndResumesOnlyWhatIsMissing()
    {
        using var folder = new TempFolder();
        Cifar10Tests.WriteBatches(folder, 20);
        var comparison = folder.Path("comparison");
        var first = new RecordingProgress();
        var summary = await Runner(folder.Root, comparison).RunAsync(first, _ => { });
        var results = summary.Strategies;

        Assert.Equal(["1/6 top 1", "2/6 top 2", "3/6 strategic@0.5 1", "4/6 strategic@0.5 2", "5/6 head 1", "6/6 head 2"], first.Started);
        Assert.Equal(["top", "strategic@0.5", "head"], results.Select(r => r.Strategy));
        Assert.All(results, r => Assert.Equal(2, r.Seeds));
        foreach (var file in new[] { "comparison.json", "results.json", "results.md", "accuracy-by-round.png", "accuracy-by-upload.png",
                     "selection-top.png", "selection-strategic@0.5.png", "masks-top.png", "masks-strategic@0.5.png", "masks-head.png",
                     "theory-unselected-share.png", "theory-disagreement.png", "paired.png" })
            Assert.True(File.Exists(Path.Combine(comparison, file)), file);
        var table = File.ReadAllText(Path.Combine(comparison, "results.md"));
        Assert.Contains("| top | 2 |", table);
        Assert.Contains("| strategic@0.5 | 2 |", table);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(comparison, "results.json"))).RootElement;
        var top = json.GetProperty("strategies")[0];
        var finals = Enumerable.Range(1, 2).Select(seed => RecordedRun.Read(Path.Combine(comparison, "runs", $"top-seed{seed}")).Summary.FinalAccuracy).ToList();
        Assert.Equal(finals.Average(), top.GetProperty("final_accuracy").GetProperty("mean").GetDouble(), 12);
        // the endpoint (the last two rounds' mean) and strategic against top, seed by seed
        var topRuns = Enumerable.Range(1, 2).Select(seed => RecordedRun.Read(Path.Combine(comparison, "runs", $"top-seed{seed}"))).ToList();
        var strategicRuns = Enumerable.Range(1, 2).Select(seed => RecordedRun.Read(Path.Combine(comparison, "runs", $"strategic@0.5-seed{seed}"))).ToList();
        Assert.Equal(topRuns.Average(r => (r.Rounds[^1].TestAccuracy!.Value + r.Rounds[^2].TestAccuracy!.Value) / 2), results[0].Endpoint.Mean!.Value, 12);
        Assert.Equal(["strategic@0.5", "head"], summary.Paired.Select(p => p.Strategy));
        var paired = summary.Paired[0];
        Assert.Equal(("strategic@0.5", "top", 2), (paired.Strategy, paired.Reference, paired.Seeds));
        Assert.Equal(strategicRuns.Zip(topRuns, (s, t) => s.Endpoint(2) - t.Endpoint(2)).Average(), paired.Mean!.Value, 12);
        Assert.Equal("strategic@0.5", json.GetProperty("paired")[0].GetProperty("strategy").GetString());
        // the arm ran strategic at its own lambda; head trained no selectable layer, so it left every budget unused
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(comparison, "runs", "strategic@0.5-seed1", "config.json"))))
            Assert.Equal((0.5, "strategic"), (config.RootElement.GetProperty("lambda").GetDouble(), config.RootElement.GetProperty("strategy").GetString()));
        var head = summary.Diagnostics[2];
        Assert.Equal((1.0, 0.0, 0.0), (head.UnusedBudget.Mean, head.LayersPerRound.Mean, head.AboveHead));
        // head's empty masks share nothing with strategic's, except where strategic's were empty too
        var strategicClients = strategicRuns.SelectMany(r => r.Rounds).SelectMany(r => r.Clients).ToList();
        Assert.Equal(strategicClients.Count(c => c.Cost == 0) / (double)strategicClients.Count, head.StrategicOverlap.Mean!.Value, 12);
        Assert.Equal("strategic@0.5", summary.StrategicArm);
        Assert.Equal(summary.Diagnostics[0].AboveHead, results[0].Endpoint.Mean - results[2].Endpoint.Mean);
        Assert.Contains("masks shared with strategic@0.5 %", table);
        Assert.Contains("| layers trained per round |", table);
        Assert.NotNull(summary.RanksAboveHead);
        Assert.Equal(2, json.GetProperty("endpoint_rounds").GetInt32());
        Assert.Contains("Against top, seed by seed", table);

        // a stopped run: its folder lacks summary.json; resuming continues it alone, from its checkpoint
        var stopped = Path.Combine(comparison, "runs", "strategic@0.5-seed1");
        var kept = File.GetLastWriteTimeUtc(Path.Combine(comparison, "runs", "top-seed2", "summary.json"));
        var metrics = File.ReadAllText(Path.Combine(stopped, "metrics.jsonl"));
        File.Delete(Path.Combine(stopped, "summary.json"));
        var second = new RecordingProgress();
        await Runner(folder.Root, comparison).RunAsync(second, _ => { });
        Assert.Equal(["3/6 strategic@0.5 1"], second.Started);
        Assert.Equal(5, second.Skipped.Count);
        Assert.True(RecordedRun.IsFinished(stopped));
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(stopped, "metrics.jsonl"))); // every round was checkpointed: nothing to redo
        Assert.Equal(kept, File.GetLastWriteTimeUtc(Path.Combine(comparison, "runs", "top-seed2", "summary.json")));
    }

    [Fact]
    public async Task AFolderOfAnotherConfigurationIsRefused()
    {
        using var folder = new TempFolder();
        Cifar10Tests.WriteBatches(folder, 20);
        var comparison = folder.Path("comparison");
        Directory.CreateDirectory(comparison);
        File.WriteAllText(Path.Combine(comparison, "comparison.json"), "{\"config\": {\"rounds\": 99}}");
        var error = await Assert.ThrowsAsync<UserInputException>(() => Runner(folder.Root, comparison).RunAsync(new RecordingProgress(), _ => { }));
        Assert.Contains("another configuration", error.Message);
    }
}
