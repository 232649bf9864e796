using System.Globalization;
using System.Text;
using System.Text.Json;
using FedLayers.Reporting;

namespace FedLayers.Comparison;

/// <summary>results.json and results.md of a comparison: one row per strategy, in the order the strategies were run.</summary>
public static class ComparisonTable
{
    /// <summary>One result per strategy of <paramref name="strategies"/>, in that order, from its runs in <paramref name="runs"/>.</summary>
    /// <param name="runs">The finished runs, of any strategies and seeds.</param>
    /// <param name="strategies">The strategies, in table order.</param>
    /// <param name="targetAccuracy">The accuracy (0..1) that "rounds to target" counts to.</param>
    public static IReadOnlyList<StrategyResult> Summarise(IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> strategies, double targetAccuracy) =>
        strategies.Select(s => StrategyResult.Of(s, runs.Where(r => r.Strategy == s).ToList(), targetAccuracy)).ToList();

    /// <summary>Writes results.json (snake_case, indented) to <paramref name="path"/>, atomically.</summary>
    public static void WriteJson(string path, IReadOnlyList<StrategyResult> results, double targetAccuracy) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { target_accuracy = targetAccuracy, strategies = results }, Json.Indented));

    /// <summary>Writes results.md to <paramref name="path"/>, atomically: a Markdown table of mean ± standard deviation per column.</summary>
    public static void WriteMarkdown(string path, IReadOnlyList<StrategyResult> results, double targetAccuracy)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| strategy | seeds | final accuracy % | best accuracy % | rounds to {targetAccuracy * 100:0.#} % | upload MB | client training GFLOPs | wall time s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Strategy} | {r.Seeds} | {Percent(r.FinalAccuracy)} | {Percent(r.BestAccuracy)} | {Rounds(r)} | " +
                $"{Scaled(r.UploadBytes, 1e-6)} | {Scaled(r.TrainingFlops, 1e-9)} | {Scaled(r.WallSeconds, 1)} |");
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static string Percent(MeanAndSpread value) => Scaled(value, 100);

    private static string Scaled(MeanAndSpread value, double factor) =>
        value.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{value.Mean * factor:0.0} ± {value.StandardDeviation * factor:0.0}");

    private static string Rounds(StrategyResult r) =>
        r.ReachedTarget == 0 ? $"not reached (0/{r.Seeds})"
        : r.ReachedTarget == r.Seeds ? Scaled(r.RoundsToTarget, 1)
        : $"{Scaled(r.RoundsToTarget, 1)} ({r.ReachedTarget}/{r.Seeds} seeds)";
}
