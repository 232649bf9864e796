using ScottPlot;

namespace FedLayers.Comparison;

/// <summary>
/// The theory's two selection terms against the endpoint, one point per run (its term averaged over its rounds) and one
/// colour per arm, so it shows whether leaving less gradient mass untrained, or disagreeing less, goes with a higher
/// endpoint. Per run rather than per round: within a run both terms and the accuracy move with training progress, which
/// would show as a relation of its own.
/// </summary>
public static class TheoryTermPlots
{
    /// <summary>Writes the PNG of the unselected gradient share against the endpoint to <paramref name="path"/>; nothing if no run probed.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="runs">The comparison's runs' diagnostics.</param>
    /// <param name="arms">The arms to draw, in legend order.</param>
    /// <param name="endpointRounds">The rounds the endpoint averages, for the axis label.</param>
    public static void WriteUnselectedShare(string path, IReadOnlyList<RunDiagnostics> runs, IReadOnlyList<string> arms, int endpointRounds) =>
        Write(path, runs, arms, r => r.UnselectedGradientShare, "share of gradient mass not selected", endpointRounds);

    /// <summary>Writes the PNG of the normalised disagreement against the endpoint to <paramref name="path"/>; nothing if no run has it.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="runs">The comparison's runs' diagnostics.</param>
    /// <param name="arms">The arms to draw, in legend order.</param>
    /// <param name="endpointRounds">The rounds the endpoint averages, for the axis label.</param>
    public static void WriteDisagreement(string path, IReadOnlyList<RunDiagnostics> runs, IReadOnlyList<string> arms, int endpointRounds) =>
        Write(path, runs, arms, r => r.Disagreement, "disagreement between clients (normalised)", endpointRounds);

    private static void Write(string path, IReadOnlyList<RunDiagnostics> runs, IReadOnlyList<string> arms, Func<RunDiagnostics, double?> term,
        string label, int endpointRounds)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        for (int a = 0; a < arms.Count; a++)
        {
            var points = runs.Where(r => r.Arm == arms[a] && term(r) is not null).ToList();
            if (points.Count == 0) continue;
            var scatter = plot.Add.ScatterPoints(points.Select(r => term(r)!.Value).ToArray(), points.Select(r => 100 * r.Endpoint).ToArray(),
                palette.GetColor(a));
            scatter.LegendText = arms[a];
            scatter.MarkerSize = 7;
        }
        if (!plot.GetPlottables().Any()) return;
        plot.Title($"Endpoint against the {label}, one point per run");
        plot.XLabel($"{label}, run mean");
        plot.YLabel($"mean accuracy of the last {endpointRounds} rounds (%)");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 960, 560);
    }
}
