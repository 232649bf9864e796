using System.Diagnostics;
using FedLayers.Reporting;

namespace FedLayers.Cli;

/// <summary>Live progress: a line per round, and on a terminal a line that follows the clients.</summary>
public sealed class ConsoleProgress(TextWriter output, int totalRounds) : IRoundSink
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly bool interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
    // the rounds done before this process started (a resumed run), which the clock did not see
    private double? roundsBefore;

    public void OnClientFinished(int round, int finished, int total)
    {
        roundsBefore ??= round - 1;
        if (!interactive) return;
        output.Write($"\r  round {round}/{totalRounds} · client {finished}/{total} · elapsed {Format(clock.Elapsed)} · left {Left(round - 1 + (double)finished / total)}   ");
    }

    public void OnRound(RoundRecord r)
    {
        roundsBefore ??= Math.Max(0, r.Round - 1);
        if (interactive) output.Write("\r");
        var train = r.TrainLoss is { } t ? $" · train loss {t:F4}" : "";
        var test = r.Evaluated ? $"test accuracy {r.TestAccuracy:P2} · test loss {r.TestLoss:F4}" : "not evaluated";
        output.WriteLine($"  round {r.Round}/{totalRounds} · {test}{train} · " +
                         $"{r.Seconds:F1} s · upload {Bytes.Format(r.UploadBytes)}" + (r.DownloadBytes is { } down ? $" · download {Bytes.Format(down)}" : "") +
                         (r.Epsilon is { } epsilon ? $" · epsilon {epsilon:F3}" : "") + $" · elapsed {Format(clock.Elapsed)} · left {Left(r.Round)}");
        if (r.Failures is { Count: > 0 } failures) output.WriteLine($"    left out: {Describe(failures)}");
    }

    public void OnStoppedEarly(int round, string reason)
    {
        if (interactive) output.Write("\r");
        output.WriteLine($"  stopped before round {round}: {reason}");
    }

    public void OnRoundFailed(int round, int attempt, string reason, IReadOnlyList<ClientFailure> failures)
    {
        if (interactive) output.Write("\r");
        output.WriteLine($"  round {round}/{totalRounds} · attempt {attempt} failed: {reason}" + (failures.Count > 0 ? $" ({Describe(failures)})" : "") +
                         "; trying again with a new sample of clients");
    }

    private static string Describe(IReadOnlyList<ClientFailure> failures) =>
        string.Join("; ", failures.Select(f => $"client {f.ClientId}: {f.Reason}"));

    private string Left(double roundsDone)
    {
        double doneHere = roundsDone - (roundsBefore ?? 0);
        if (doneHere <= 0) return "?";
        var perRound = clock.Elapsed.TotalSeconds / doneHere;
        return Format(TimeSpan.FromSeconds(perRound * Math.Max(0, totalRounds - roundsDone)));
    }

    internal static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");
}
