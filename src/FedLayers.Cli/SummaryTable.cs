using FedLayers.Reporting;
using Spectre.Console;

namespace FedLayers.Cli;

/// <summary>The table printed at the end of a run.</summary>
public static class SummaryTable
{
    public static void Write(TextWriter output, RunSummary s, string folder)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var table = new Table().Title("Run summary").AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("strategy", s.Strategy);
        table.AddRow("rounds", s.Rounds.ToString());
        table.AddRow("test accuracy, round 0", $"{s.InitialAccuracy:P2}");
        table.AddRow("test accuracy, final", $"{s.FinalAccuracy:P2}");
        table.AddRow("test accuracy, best", $"{s.BestAccuracy:P2} (round {s.BestRound})");
        table.AddRow("test loss, final", $"{s.FinalLoss:F4}");
        table.AddRow("upload, total", Bytes.Format(s.TotalUploadBytes));
        if (s.DpEpsilon is { } epsilon) table.AddRow("privacy spent, epsilon", $"{epsilon:F3}");
        table.AddRow("wall time", $"{s.TotalSeconds:F1} s");
        console.Write(table);
        IEnumerable<string?> files = Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order() : [];
        output.WriteLine($"Run folder: {folder} ({string.Join(", ", files)})");
    }
}
