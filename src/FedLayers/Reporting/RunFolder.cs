namespace FedLayers.Reporting;

/// <summary>
/// The folder one run writes: config.json, model.json, partition.json and .png, metrics.jsonl, selections.jsonl,
/// failures.jsonl (only if a client failed), tensorboard/, checkpoint.safetensors (after every round) and summary.json.
/// A new run refuses a folder that already holds files, so no earlier result is overwritten; a resumed run reopens its own.
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string path) => Path = path;

    /// <summary>The global weights and the round loop's progress after the last completed round.</summary>
    public const string CheckpointFileName = "checkpoint.safetensors";

    /// <summary>The folder, as given.</summary>
    public string Path { get; }

    /// <summary>config.json: the run's resolved configuration.</summary>
    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");

    /// <summary>metrics.jsonl (<see cref="MetricsSink"/>).</summary>
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.jsonl");

    /// <summary>selections.jsonl (<see cref="SelectionsSink"/>).</summary>
    public string SelectionsFile => System.IO.Path.Combine(Path, "selections.jsonl");

    /// <summary>failures.jsonl (<see cref="FailuresSink"/>).</summary>
    public string FailuresFile => System.IO.Path.Combine(Path, "failures.jsonl");

    /// <summary>The checkpoint (<see cref="CheckpointFileName"/>).</summary>
    public string CheckpointFile => System.IO.Path.Combine(Path, CheckpointFileName);

    /// <summary>summary.json (<see cref="SummarySink"/>).</summary>
    public string SummaryFile => System.IO.Path.Combine(Path, "summary.json");

    /// <summary>partition.json (<see cref="PartitionReport"/>).</summary>
    public string PartitionFile => System.IO.Path.Combine(Path, "partition.json");

    /// <summary>partition.png (<see cref="PartitionPlot"/>).</summary>
    public string PartitionPlotFile => System.IO.Path.Combine(Path, "partition.png");

    /// <summary>The TensorBoard event folder (<see cref="TensorBoardSink"/>).</summary>
    public string TensorBoardFolder => System.IO.Path.Combine(Path, "tensorboard");

    /// <summary>model.json (<see cref="ModelFileName"/>).</summary>
    public string ModelFile => System.IO.Path.Combine(Path, ModelFileName);

    /// <summary>The model's layer groups (Models.ModelReport writes and reads it).</summary>
    public const string ModelFileName = "model.json";

    /// <summary>runs/&lt;timestamp&gt; under the working directory.</summary>
    public static string DefaultPath() => System.IO.Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss"));

    /// <summary>The folder of a new run, created if missing.</summary>
    /// <exception cref="UserInputException"><paramref name="path"/> is a file, a folder that is not empty, or cannot be created.</exception>
    public static RunFolder Create(string path)
    {
        if (File.Exists(path)) throw new UserInputException($"'{path}' is a file; expected a folder for the run");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new UserInputException($"folder '{path}' is not empty; choose a new folder so no earlier run is overwritten");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"cannot create folder '{path}': {e.Message}");
        }
        return new RunFolder(path);
    }

    /// <summary>The folder of a run to resume: it must hold that run's config.json; once its checkpoint is
    /// read, <see cref="TrimToRound"/> drops what was logged after it.</summary>
    public static RunFolder Open(string path)
    {
        var folder = new RunFolder(path);
        if (!Directory.Exists(path)) throw new UserInputException($"run folder '{path}' does not exist");
        if (!File.Exists(folder.ConfigFile)) throw new UserInputException($"'{folder.ConfigFile}' does not exist; expected the folder of a run");
        return folder;
    }

    /// <summary>Drops the log lines of rounds after the checkpoint's, which a resumed run redoes.</summary>
    public void TrimToRound(int lastRound)
    {
        foreach (var file in new[] { MetricsFile, SelectionsFile, FailuresFile })
            JsonLinesWriter.KeepRoundsUpTo(file, lastRound);
    }

    /// <summary>The sinks that write this folder's files.</summary>
    /// <param name="costUnit">the unit of budgets and layer costs, recorded with the selections.</param>
    public IReadOnlyList<IRoundSink> Sinks(string costUnit) =>
        [new MetricsSink(MetricsFile), new SelectionsSink(SelectionsFile, costUnit), new FailuresSink(FailuresFile),
            new TensorBoardSink(TensorBoardFolder), new SummarySink(SummaryFile)];
}
