using ScottPlot;

namespace FedLayers.Comparison;

/// <summary>
/// The comparison's curves: test accuracy against the round and against cumulative upload bytes,
/// one line per strategy (the mean over seeds) with a band of one standard deviation.
/// </summary>
public static class AccuracyPlots
{
    /// <summary>Writes the PNG of accuracy (%) by round to <paramref name="path"/>, over the rounds every run of a strategy has.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="runs">The comparison's runs, of any strategies and seeds.</param>
    /// <param name="strategies">The strategies to draw, in legend order; one without runs is left out.</param>
    public static void WriteByRound(string path, IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> strategies) =>
        Write(path, runs, strategies, "Test accuracy by round", "round", round => round.Round);

    /// <summary>As <see cref="WriteByRound"/>, against the cumulative upload in MB averaged over the seeds.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="runs">The comparison's runs, of any strategies and seeds.</param>
    /// <param name="strategies">The strategies to draw, in legend order; one without runs is left out.</param>
    public static void WriteByUpload(string path, IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> strategies) =>
        Write(path, runs, strategies, "Test accuracy by data uploaded", "cumulative upload (MB)", null);

    /// <param name="path">The PNG file to write.</param>
    /// <param name="runs">The comparison's runs.</param>
    /// <param name="strategies">The strategies to draw, in legend order.</param>
    /// <param name="title">The plot's title.</param>
    /// <param name="xLabel">The x axis's label.</param>
    /// <param name="x">the x of a round, or null for cumulative upload in MB.</param>
    private static void Write(string path, IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> strategies, string title, string xLabel,
        Func<RecordedRound, double>? x)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        for (int s = 0; s < strategies.Count; s++)
        {
            var ofStrategy = runs.Where(r => r.Strategy == strategies[s]).ToList();
            if (ofStrategy.Count == 0) continue;
            // the rounds every run evaluated (runs that evaluate every few rounds have no accuracy in the others: no point there)
            var evaluated = Enumerable.Range(0, ofStrategy.Min(r => r.Rounds.Count))
                .Where(t => ofStrategy.All(r => r.Rounds[t].TestAccuracy is not null)).ToList();
            var xs = new double[evaluated.Count];
            var mean = new double[evaluated.Count];
            var lower = new double[evaluated.Count];
            var upper = new double[evaluated.Count];
            for (int i = 0; i < evaluated.Count; i++)
            {
                int t = evaluated[i];
                var accuracy = MeanAndSpread.Of(ofStrategy.Select(r => 100 * r.Rounds[t].TestAccuracy!.Value).ToList());
                xs[i] = x is not null ? x(ofStrategy[0].Rounds[t]) : ofStrategy.Average(r => r.Rounds.Take(t + 1).Sum(round => round.UploadBytes)) / 1e6;
                // every strategy drawn has runs, so each round's accuracy has a mean and a spread
                double average = accuracy.Mean!.Value, spread = accuracy.StandardDeviation!.Value;
                (mean[i], lower[i], upper[i]) = (average, average - spread, average + spread);
            }
            var colour = palette.GetColor(s);
            var band = plot.Add.FillY(xs, lower, upper);
            band.FillStyle.Color = colour.WithAlpha(0.2);
            band.LineStyle.Width = 0;
            var line = plot.Add.Scatter(xs, mean, colour);
            line.LegendText = strategies[s];
            line.MarkerSize = 4;
        }
        if (x is not null) // rounds are whole numbers: no 0.5 ticks
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("test accuracy (%), mean ± sd over seeds");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 900, 520);
    }
}
