namespace FedLayers.Reporting;

/// <summary>
/// The folder one run writes: config.json, model.json, partition.json and .png, metrics.jsonl, selections.jsonl, tensorboard/, summary.json.
/// It refuses a folder that already holds files, so no earlier result is overwritten.
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string path) => Path = path;

    public string Path { get; }
    public string ConfigFile => System.IO.Path.Combine(Path, "config.json");
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.jsonl");
    public string SelectionsFile => System.IO.Path.Combine(Path, "selections.jsonl");
    public string SummaryFile => System.IO.Path.Combine(Path, "summary.json");
    public string PartitionFile => System.IO.Path.Combine(Path, "partition.json");
    public string PartitionPlotFile => System.IO.Path.Combine(Path, "partition.png");
    public string TensorBoardFolder => System.IO.Path.Combine(Path, "tensorboard");
    public string ModelFile => System.IO.Path.Combine(Path, ModelReport.FileName);

    /// <summary>runs/&lt;timestamp&gt; under the working directory.</summary>
    public static string DefaultPath() => System.IO.Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss"));

    public static RunFolder Create(string path)
    {
        if (File.Exists(path)) throw new UserInputException($"--out: '{path}' is a file; expected a folder for the run");
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new UserInputException($"--out: folder '{path}' is not empty; choose a new folder so no earlier run is overwritten");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--out: cannot create folder '{path}': {e.Message}");
        }
        return new RunFolder(path);
    }

    /// <summary>The sinks that write this folder's files.</summary>
    /// <param name="costUnit">the unit of budgets and layer costs, recorded with the selections.</param>
    public IReadOnlyList<IRoundSink> Sinks(string costUnit) =>
        [new MetricsSink(MetricsFile), new SelectionsSink(SelectionsFile, costUnit), new TensorBoardSink(TensorBoardFolder), new SummarySink(SummaryFile)];
}
