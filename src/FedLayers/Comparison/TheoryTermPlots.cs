using ScottPlot;

namespace FedLayers.Comparison;

/// <summary>
/// The theory's two selection terms against the accuracy the round reached, one colour per
/// strategy and one point per round and seed, so it shows whether leaving less gradient mass
/// untrained, or disagreeing less, goes with higher accuracy.
/// </summary>
public static class TheoryTermPlots
{
    /// <summary>Writes the PNG of the unselected gradient share against accuracy to <paramref name="path"/>; nothing if no round probed.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="runs">The comparison's runs.</param>
    /// <param name="strategies">The strategies to draw, in legend order.</param>
    public static void WriteUnselectedShare(string path, IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> strategies) =>
        Write(path, runs, strategies, r => r.UnselectedGradientShare, "share of gradient mass not selected");

    /// <summary>Writes the PNG of the normalised disagreement against accuracy to <paramref name="path"/>; nothing if no round has it.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="runs">The comparison's runs.</param>
    /// <param name="strategies">The strategies to draw, in legend order.</param>
    public static void WriteDisagreement(string path, IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> strategies) =>
        Write(path, runs, strategies, r => r.Disagreement, "disagreement between clients (normalised)");

    /// <summary>Writes nothing when no round had the term (runs without probes have no gradient share).</summary>
    private static void Write(string path, IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> strategies, Func<RecordedRound, double?> term, string label)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        for (int s = 0; s < strategies.Count; s++)
        {
            var points = runs.Where(r => r.Strategy == strategies[s]).SelectMany(r => r.Rounds)
                .Where(r => term(r) is not null).Select(r => (X: term(r)!.Value, Y: 100 * r.TestAccuracy)).ToList();
            if (points.Count == 0) continue;
            var scatter = plot.Add.ScatterPoints(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray(), palette.GetColor(s));
            scatter.LegendText = strategies[s];
        }
        if (!plot.GetPlottables().Any()) return;
        plot.Title($"Test accuracy against the {label}");
        plot.XLabel(label);
        plot.YLabel("test accuracy after the round (%)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 800, 520);
    }
}
