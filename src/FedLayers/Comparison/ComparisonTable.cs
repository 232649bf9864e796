using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
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

    /// <summary>Writes results.json (snake_case, indented, plain JSON: a missing value is null) to <paramref name="path"/>, atomically.</summary>
    public static void WriteJson(string path, IReadOnlyList<StrategyResult> results, double targetAccuracy) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { target_accuracy = targetAccuracy, strategies = results }, PlainJson));

    // strict numbers: a NaN would fail here rather than become a string a reader's JSON parser does not take for a number
    private static readonly JsonSerializerOptions PlainJson = new(Json.Indented) { NumberHandling = JsonNumberHandling.Strict };

    /// <summary>Writes results.md to <paramref name="path"/>, atomically: a Markdown table of mean ± standard deviation per column.</summary>
    public static void WriteMarkdown(string path, IReadOnlyList<StrategyResult> results, double targetAccuracy)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| strategy | seeds | final accuracy % | best accuracy % | rounds to {targetAccuracy * 100:0.#} % | upload MB | client training GFLOPs | wall time s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Strategy} | {r.Seeds} | {r.FinalAccuracy.Format(100)} | {r.BestAccuracy.Format(100)} | {Rounds(r)} | " +
                $"{r.UploadBytes.Format(1e-6)} | {r.TrainingFlops.Format(1e-9)} | {r.WallSeconds.Format()} |");
        AtomicFile.WriteAllText(path, text.ToString());
    }


    private static string Rounds(StrategyResult r) =>
        r.ReachedTarget == 0 ? $"not reached (0/{r.Seeds})"
        : r.ReachedTarget == r.Seeds ? r.RoundsToTarget.Format()
        : $"{r.RoundsToTarget.Format()} ({r.ReachedTarget}/{r.Seeds} seeds)";
}
