using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FedLayers.Reporting;

namespace FedLayers.Comparison;

/// <summary>results.json and results.md of a comparison: one row per strategy, in the order the strategies were run.</summary>
public static class ComparisonTable
{
    /// <summary>The summary of <paramref name="runs"/>: one result per strategy of <paramref name="strategies"/>, in that order, and
    /// each against the reference by seed.</summary>
    /// <param name="runs">The finished runs, of any strategies and seeds.</param>
    /// <param name="strategies">The strategies, in table order.</param>
    /// <param name="options">the target, the endpoint's rounds and the reference.</param>
    /// <param name="selectableGroups">the model's selectable groups, for the masks' overlap.</param>
    /// <exception cref="ArgumentException">the reference is not among <paramref name="strategies"/>.</exception>
    public static ComparisonSummary Summarise(IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> strategies, ComparisonReportOptions options,
        IReadOnlyList<string> selectableGroups)
    {
        double target = options.TargetAccuracy ?? ComparisonReportOptions.DefaultTargetShare * runs.Max(r => r.Summary.BestAccuracy);
        var reference = options.ReferenceAmong(strategies);
        var results = strategies.Select(s => StrategyResult.Of(s, runs.Where(r => r.Strategy == s).ToList(), target, options.EndpointRounds)).ToList();
        // every arm's masks are held against the reference when it runs strategic (the primary arm of several lambdas),
        // otherwise against the first arm running strategic
        var strategicArms = runs.Where(r => r.Summary.Strategy == "strategic").Select(r => r.Strategy).Distinct().ToList();
        var strategic = strategicArms.Contains(reference) ? reference : strategicArms.FirstOrDefault();
        var runDiagnostics = runs.Select(r => RunDiagnostics.Of(r, options.EndpointRounds, selectableGroups,
            runs.FirstOrDefault(s => s.Strategy == strategic && s.Seed == r.Seed))).ToList();
        // every run's endpoint once, from its diagnostics
        IReadOnlyDictionary<int, double> EndpointsOf(string arm) => runDiagnostics.Where(r => r.Arm == arm).ToDictionary(r => r.Seed, r => r.Endpoint);
        var headEndpoints = runDiagnostics.Where(r => r.Arm == "head").Select(r => r.Endpoint).ToList();
        double? head = headEndpoints.Count > 0 ? headEndpoints.Average() : null;
        var diagnostics = strategies.Select(s => ArmDiagnostics.Of(s, runDiagnostics.Where(r => r.Arm == s).ToList(), head)).ToList();
        var paired = strategies.Where(s => s != reference)
            .Select(s => PairedDifference.Of(s, EndpointsOf(s), reference, EndpointsOf(reference))).ToList();
        return new ComparisonSummary(target, options.EndpointRounds, results, paired, diagnostics, runDiagnostics, strategic)
        {
            SkippedEvaluations = runs.Any(r => r.SkippedEvaluations),
        };
    }

    /// <summary>Writes results.json (snake_case, indented, plain JSON: a missing value is null) to <paramref name="path"/>, atomically.</summary>
    public static void WriteJson(string path, ComparisonSummary summary) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(summary, PlainJson));

    // strict numbers: a NaN would fail here rather than become a string a reader's JSON parser does not take for a number
    private static readonly JsonSerializerOptions PlainJson = new(Json.Indented) { NumberHandling = JsonNumberHandling.Strict };

    /// <summary>Writes results.md to <paramref name="path"/>, atomically: a Markdown table of mean ± standard deviation per column,
    /// then the paired differences against the reference.</summary>
    public static void WriteMarkdown(string path, ComparisonSummary summary)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| strategy | seeds | final accuracy % | best accuracy % | mean of the last {summary.EndpointRounds} rounds % | " +
            $"rounds to {summary.TargetAccuracy * 100:0.#} % | upload MB | client training GFLOPs | wall time s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in summary.Strategies)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Strategy} | {r.Seeds} | {r.FinalAccuracy.Format(100)} | {r.BestAccuracy.Format(100)} | {r.Endpoint.Format(100)} | {Rounds(r)} | " +
                $"{r.UploadBytes.Format(1e-6)} | {r.TrainingFlops.Format(1e-9)} | {r.WallSeconds.Format()} |");
        if (summary.SkippedEvaluations)
        {
            text.AppendLine();
            text.AppendLine("Some rounds were not evaluated (the runs evaluate every few rounds): final and best accuracy, the endpoint, its slope and the rounds to " +
                            "target read the evaluated rounds only.");
        }
        if (summary.Paired.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Against {summary.Paired[0].Reference}, seed by seed (mean of the last {summary.EndpointRounds} rounds, percentage points):");
            text.AppendLine();
            text.AppendLine("| strategy | seeds | mean difference | 95 % interval | seeds above the reference | verdict |");
            text.AppendLine("|---|---|---|---|---|---|");
            foreach (var p in summary.Paired)
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {p.Strategy} | {p.Seeds} | {Points(p.Mean)} | {(p.Lower is null ? "-" : $"{Points(p.Lower)} to {Points(p.Upper)}")} | " +
                    $"{p.Positive}/{p.Seeds} | {p.Verdict} |");
        }
        WriteDiagnostics(text, summary);
        AtomicFile.WriteAllText(path, text.ToString());
    }

    private static void WriteDiagnostics(StringBuilder text, ComparisonSummary summary)
    {
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"What explains the endpoints (mean ± sd over seeds; the slope is over the last {summary.EndpointRounds} rounds):");
        text.AppendLine();
        text.AppendLine($"| arm | gradient mass not selected % | disagreement % | budget unused % | layers trained per round | slope, points per round | masks shared with {summary.StrategicArm ?? "strategic"} % | above head, points |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var d in summary.Diagnostics)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {d.Arm} | {d.UnselectedGradientShare.Format(100)} | {d.Disagreement.Format(100)} | {d.UnusedBudget.Format(100)} | " +
                $"{d.LayersPerRound.Format()} | {d.EndpointSlope.Format(100)} | {d.StrategicOverlap.Format(100)} | {Points(d.AboveHead)} |");
        if (summary.RanksAboveHead is not { } ranks) return;
        text.AppendLine();
        var margin = $"{100 * ComparisonSummary.HeadFloorMargin:0.#} point";
        text.AppendLine(ranks
            ? $"Budgeted arms more than {margin} above head (the common groups alone): " +
              string.Join(", ", summary.Diagnostics.Where(d => d.Arm is not ("full" or "head") && d.AboveHead > ComparisonSummary.HeadFloorMargin).Select(d => d.Arm)) + "."
            : $"**Every budgeted arm is within {margin} of head** (the common groups alone): this setting cannot rank strategies.");
    }

    private static string Points(double? difference) =>
        difference is { } d ? string.Create(CultureInfo.InvariantCulture, $"{100 * d:+0.0;-0.0;0.0}") : "-";

    private static string Rounds(StrategyResult r) =>
        r.ReachedTarget == 0 ? $"not reached (0/{r.Seeds})"
        : r.ReachedTarget == r.Seeds ? r.RoundsToTarget.Format()
        : $"{r.RoundsToTarget.Format()} ({r.ReachedTarget}/{r.Seeds} seeds)";
}
