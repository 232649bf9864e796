using System.Text.Json;
using System.Text.Json.Nodes;
using FedLayers.Models;
using FedLayers.Reporting;
using FedLayers.Setup;

namespace FedLayers.Comparison;

/// <summary>
/// Runs every arm (a strategy, perhaps with settings of its own) with every seed on one configuration, each as a normal
/// run folder under <c>FOLDER/runs/&lt;arm&gt;-seed&lt;seed&gt;</c>, then writes the comparison's table and plots
/// into FOLDER. Resumable: a run whose summary.json exists is kept, a stopped run (no summary.json)
/// continues from its last checkpoint, and one stopped before its first checkpoint is deleted and
/// run again. FOLDER/comparison.json records the configuration,
/// and a later invocation on the same folder must use the same one.
/// </summary>
/// <param name="baseConfig">The configuration every run shares; strategy, seed and output folder are set per run.</param>
/// <param name="arms">The arms, in the order they run and are reported; their names are unique.</param>
/// <param name="seeds">The seeds every strategy runs with.</param>
/// <param name="folder">The comparison's folder, created if missing.</param>
/// <param name="report">how the runs are summarised: the target, the endpoint and the reference (default: as
/// <see cref="ComparisonReportOptions"/> says).</param>
/// <exception cref="ArgumentException">the reference of <paramref name="report"/> is not among the arms, or two arms share a name.</exception>
public sealed class ComparisonRunner(RunConfig baseConfig, IReadOnlyList<ComparisonArm> arms, IReadOnlyList<int> seeds,
    string folder, ComparisonReportOptions? report = null)
{
    private readonly IReadOnlyList<string> names = UniqueNames(arms);
    private readonly ComparisonReportOptions report = Checked(report ?? new ComparisonReportOptions(), arms);

    /// <summary>Refuses a reference that is not compared before any run starts, not after the last.</summary>
    private static ComparisonReportOptions Checked(ComparisonReportOptions report, IReadOnlyList<ComparisonArm> arms)
    {
        report.ReferenceAmong(arms.Select(a => a.Name).ToList());
        return report;
    }

    private static List<string> UniqueNames(IReadOnlyList<ComparisonArm> arms)
    {
        var names = arms.Select(a => a.Name).ToList();
        return names.Distinct().Count() == names.Count ? names
            : throw new ArgumentException($"two arms are named alike ({string.Join(", ", names)})", nameof(arms));
    }

    private string ManifestFile => Path.Combine(folder, "comparison.json");

    /// <summary>Every (arm, seed) run and its folder, arms in the given order and seeds within each.</summary>
    public IReadOnlyList<ComparisonRun> Runs { get; } = arms
        .SelectMany(a => seeds.Select(seed => new ComparisonRun(a, seed, Path.Combine(folder, "runs", $"{a.Name}-seed{seed}"))))
        .ToList();

    /// <summary>Runs, continues or skips every run in <see cref="Runs"/> in turn, then <see cref="WriteResults"/>.</summary>
    /// <param name="progress">Told about every run as it starts or is skipped.</param>
    /// <param name="warn">Receives the runs' warnings.</param>
    /// <param name="cancellation">Stops the comparison; a later invocation on the same folder continues the stopped run.</param>
    /// <returns>One result per arm, in the given order, and the paired differences against the reference.</returns>
    /// <exception cref="UserInputException">The folder holds a comparison of another configuration.</exception>
    public async Task<ComparisonSummary> RunAsync(IComparisonProgress progress, Action<string> warn, CancellationToken cancellation = default)
    {
        RequireSameConfiguration();
        for (int i = 0; i < Runs.Count; i++)
        {
            var run = Runs[i];
            if (RecordedRun.IsFinished(run.Folder))
            {
                progress.Skipped(i + 1, Runs.Count, run);
                continue;
            }
            bool resume = File.Exists(Path.Combine(run.Folder, RunFolder.CheckpointFileName));
            if (!resume && Directory.Exists(run.Folder)) Directory.Delete(run.Folder, recursive: true);
            await Simulation.RunAsync(run.Arm.ConfigFor(baseConfig, run.Seed, run.Folder), [progress.Starting(i + 1, Runs.Count, run)], warn, cancellation, resume);
        }
        return WriteResults();
    }

    /// <summary>Reads every run folder back and writes results.json, results.md and the plots.</summary>
    public ComparisonSummary WriteResults()
    {
        var runs = Runs.Select(r => RecordedRun.Read(r.Folder) with { Strategy = r.Arm.Name }).ToList();
        var layers = ModelReport.SelectableGroups(Runs[0].Folder);
        var summary = ComparisonTable.Summarise(runs, names, report, layers);
        ComparisonTable.WriteJson(Path.Combine(folder, "results.json"), summary);
        ComparisonTable.WriteMarkdown(Path.Combine(folder, "results.md"), summary);
        AccuracyPlots.WriteByRound(Path.Combine(folder, "accuracy-by-round.png"), runs, names);
        AccuracyPlots.WriteByUpload(Path.Combine(folder, "accuracy-by-upload.png"), runs, names);
        PairedPlot.Write(Path.Combine(folder, "paired.png"), summary.Paired, summary.EndpointRounds);
        foreach (var strategy in names)
        {
            var ofStrategy = runs.Where(r => r.Strategy == strategy).ToList();
            SelectionHeatmaps.WriteLayerFrequency(Path.Combine(folder, $"selection-{strategy}.png"), strategy, ofStrategy, layers);
            SelectionHeatmaps.WriteMasks(Path.Combine(folder, $"masks-{strategy}.png"), ofStrategy[0], ofStrategy[0].Rounds.Count - 1, layers);
        }
        TheoryTermPlots.WriteUnselectedShare(Path.Combine(folder, "theory-unselected-share.png"), summary.Runs, names, summary.EndpointRounds);
        TheoryTermPlots.WriteDisagreement(Path.Combine(folder, "theory-disagreement.png"), summary.Runs, names, summary.EndpointRounds);
        return summary;
    }

    /// <summary>Writes comparison.json on the first invocation; later ones must bring the same configuration.</summary>
    private void RequireSameConfiguration()
    {
        var identity = baseConfig.With(RunSettings.Strategy, "").With(RunSettings.Seed, 0).With(RunSettings.Out, null);
        var configuration = RunConfigJson.ToJson(identity);
        if (File.Exists(ManifestFile))
        {
            var earlier = JsonNode.Parse(File.ReadAllText(ManifestFile))?["config"]?.ToJsonString() ?? "{}";
            // only what decides the numbers must match: threads, device or the cache size may change between invocations
            if (RunConfigJson.FirstDifference(RunConfigJson.Deserialize(earlier, ManifestFile, baseConfig.Registries), identity) is { } key)
                throw new UserInputException(
                    $"{folder} holds a comparison of another configuration ('{key.Name}' was {key.Before}, now {key.Now}; see {ManifestFile}); " +
                    "use a new folder, or the same options to resume it");
        }
        Directory.CreateDirectory(folder);
        var manifest = new JsonObject
        {
            ["config"] = configuration,
            ["arms"] = new JsonArray(names.Select(s => (JsonNode)s).ToArray()),
            ["seeds"] = new JsonArray(seeds.Select(s => (JsonNode)s).ToArray()),
            ["target_accuracy"] = report.TargetAccuracy,
        };
        AtomicFile.WriteAllText(ManifestFile, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
