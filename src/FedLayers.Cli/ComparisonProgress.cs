using System.Diagnostics;
using FedLayers.Comparison;
using FedLayers.Reporting;

namespace FedLayers.Cli;

/// <summary>Progress of <c>fedlayers compare</c>: a line per run (i of n, time left over the runs
/// still to do), then the run's own round lines.</summary>
public sealed class ComparisonProgress(TextWriter output, int rounds) : IComparisonProgress
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int ran;

    public IRoundSink Starting(int index, int count, ComparisonRun run)
    {
        // runs done in this invocation give the pace; skipped ones cost nothing
        var left = ran == 0 ? "?" : ConsoleProgress.Format(TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / ran * (count - index + 1)));
        ran++;
        output.WriteLine($"run {index} of {count}: {run.Arm.Name}, seed {run.Seed} -> {run.Folder} · elapsed {ConsoleProgress.Format(clock.Elapsed)} · left {left}");
        return new ConsoleProgress(output, rounds);
    }

    public void Skipped(int index, int count, ComparisonRun run) =>
        output.WriteLine($"run {index} of {count}: {run.Arm.Name}, seed {run.Seed} finished earlier, kept");
}
