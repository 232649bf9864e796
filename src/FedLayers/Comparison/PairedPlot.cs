using ScottPlot;

namespace FedLayers.Comparison;

/// <summary>The paired differences as a picture: per arm, its mean difference to the reference (points) with the 95 %
/// interval as a bar, and a line at 0, so an arm whose bar misses 0 is separated from the reference at a glance.</summary>
public static class PairedPlot
{
    /// <summary>Writes the PNG to <paramref name="path"/>; nothing when no arm has a difference.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="paired">every arm against the reference, in table order (drawn top to bottom).</param>
    /// <param name="endpointRounds">the rounds the endpoint averages, for the axis label.</param>
    public static void Write(string path, IReadOnlyList<PairedDifference> paired, int endpointRounds)
    {
        var drawn = paired.Where(p => p.Mean is not null).ToList();
        if (drawn.Count == 0) return;
        var plot = new Plot();
        var zero = plot.Add.VerticalLine(0);
        zero.LineStyle.Pattern = LinePattern.Dashed;
        zero.LineColor = Colors.Gray;
        for (int i = 0; i < drawn.Count; i++)
        {
            var p = drawn[i];
            double y = drawn.Count - 1 - i;
            var colour = p.Verdict switch { "better" => Colors.Green, "worse" => Colors.Red, _ => Colors.Black };
            if (p.Lower is { } lower && p.Upper is { } upper)
            {
                var bar = plot.Add.Line(100 * lower, y, 100 * upper, y);
                bar.LineColor = colour;
                bar.LineWidth = 2;
            }
            var mean = plot.Add.Marker(100 * p.Mean!.Value, y);
            mean.Color = colour;
            mean.Size = 8;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, drawn.Count).Select(i => (double)(drawn.Count - 1 - i)).ToArray(), drawn.Select(p => p.Strategy).ToArray());
        plot.Axes.SetLimitsY(-0.7, drawn.Count - 0.3);
        plot.Title($"Against {drawn[0].Reference}, seed by seed: mean difference and 95 % interval");
        plot.XLabel($"difference of the mean accuracy over the last {endpointRounds} rounds (points)");
        plot.SavePng(path, 800, Math.Max(300, 40 * drawn.Count + 140));
    }
}
