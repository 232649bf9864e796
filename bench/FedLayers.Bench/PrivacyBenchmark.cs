using System.Text.Json;
using ScottPlot;

namespace FedLayers.Bench;

/// <summary>
/// The tables and plots of bench/privacy.sh (docs/PRIVACY.md) from its run folders: accuracy against epsilon for full
/// fine-tuning at several noise multipliers, and full, top and strategic at equal epsilon per round.
/// </summary>
public static class PrivacyBenchmark
{
    private const int LastRounds = 5;

    /// <summary>One round of a run as its metrics.jsonl says.</summary>
    private sealed record Round(int Number, double Accuracy, double? Epsilon, int? FewestLayerClients);

    private static readonly (string Folder, string Noise)[] NoiseRows =
        [("full-none", "none (clipping only)"), ("full-z0.5", "0.5"), ("full-z1", "1"), ("full-z2", "2")];

    private static readonly (string Folder, string Strategy, string Noise)[] StrategyRows =
    [
        ("full-z1", "full", "1"), ("top-z1", "top", "1"), ("strategic-lambda0-z1", "strategic, lambda 0", "1.06 / probe 3"),
        ("strategic-lambda0.1-z1", "strategic, lambda 0.1", "1.06 / probe 3"), ("strategic-lambda1-z1", "strategic, lambda 1", "1.06 / probe 3"),
        ("full-none", "full", "none"), ("top-none", "top", "none"), ("strategic-lambda0.1-none", "strategic, lambda 0.1", "none"),
    ];

    /// <summary>Prints both tables in markdown and writes their plots into <paramref name="plots"/>.</summary>
    public static void Report(string runs, string plots, TextWriter output)
    {
        Directory.CreateDirectory(plots);
        var read = NoiseRows.Select(r => r.Folder).Concat(StrategyRows.Select(r => r.Folder)).Distinct()
            .ToDictionary(folder => folder, folder => Read(Path.Combine(runs, folder)));
        int rounds = read.Values.First().Count - 1;

        output.WriteLine($"| noise multiplier z | epsilon after {rounds} rounds | final accuracy | mean of the last {LastRounds} rounds | best accuracy |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var (folder, noise) in NoiseRows) output.WriteLine($"| {noise} | {Epsilon(read[folder])} | {Accuracy(read[folder])} |");
        WritePlot(Path.Combine(plots, "accuracy-by-epsilon.png"), "full fine-tuning",
            [.. NoiseRows.Select(r => (r.Noise == "none (clipping only)" ? "no noise" : $"z = {r.Noise}", read[r.Folder]))]);

        output.WriteLine();
        output.WriteLine($"| strategy | noise (layer sums / probe) | epsilon after {rounds} rounds | final accuracy | mean of the last {LastRounds} rounds | " +
                         "best accuracy | mean fewest clients behind a trained layer |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (folder, strategy, noise) in StrategyRows)
        {
            double fewest = read[folder].Skip(1).Where(r => r.FewestLayerClients is not null).Average(r => (double)r.FewestLayerClients!.Value);
            output.WriteLine($"| {strategy} | {noise} | {Epsilon(read[folder])} | {Accuracy(read[folder])} | {fewest:F1} |");
        }
        WritePlot(Path.Combine(plots, "strategies-by-epsilon.png"), "the same epsilon per round",
            [.. StrategyRows.Where(r => r.Noise != "none").Select(r => (r.Strategy, read[r.Folder]))]);
    }

    private static IReadOnlyList<Round> Read(string folder)
    {
        if (!File.Exists(Path.Combine(folder, "summary.json"))) throw new InvalidOperationException($"{folder}: the run has not finished");
        return [.. File.ReadLines(Path.Combine(folder, "metrics.jsonl")).Select(line =>
        {
            var round = JsonDocument.Parse(line).RootElement;
            double? Number(string name) => round.GetProperty(name).ValueKind == JsonValueKind.Number ? round.GetProperty(name).GetDouble() : null;
            return new Round(round.GetProperty("round").GetInt32(), round.GetProperty("test_accuracy").GetDouble(), Number("dp_epsilon"),
                (int?)Number("fewest_layer_clients"));
        })];
    }

    private static string Epsilon(IReadOnlyList<Round> rounds) => rounds[^1].Epsilon is { } epsilon ? $"{epsilon:F2}" : "no guarantee";

    private static string Accuracy(IReadOnlyList<Round> rounds) =>
        $"{rounds[^1].Accuracy:P1} | {rounds.TakeLast(LastRounds).Average(r => r.Accuracy):P1} | {rounds.Max(r => r.Accuracy):P1}";

    /// <summary>Test accuracy after every round against the epsilon spent by then; a run without noise is a level line at its
    /// mean over the last rounds.</summary>
    private static void WritePlot(string path, string title, IReadOnlyList<(string Label, IReadOnlyList<Round> Rounds)> curves)
    {
        var plot = new Plot();
        foreach (var (label, rounds) in curves)
        {
            var trained = rounds.Skip(1).ToList();
            if (trained.All(r => r.Epsilon is not null))
                plot.Add.Scatter(trained.Select(r => r.Epsilon!.Value).ToArray(), trained.Select(r => 100 * r.Accuracy).ToArray()).LegendText = label;
            else
                plot.Add.HorizontalLine(100 * rounds.TakeLast(LastRounds).Average(r => r.Accuracy)).LegendText = $"{label} (last {LastRounds} rounds)";
        }
        plot.Axes.SetLimitsX(0, curves.SelectMany(c => c.Rounds).Max(r => r.Epsilon ?? 0) * 1.05);
        plot.Title($"Test accuracy against epsilon spent: {title}, 1,000 clients, q = 0.1");
        plot.XLabel("epsilon (delta 1e-4)");
        plot.YLabel("test accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, 900, 560);
    }
}
