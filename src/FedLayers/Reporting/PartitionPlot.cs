namespace FedLayers.Reporting;

/// <summary>partition.png: one stacked bar per client, one colour per class, so label skew is visible at a glance.</summary>
public static class PartitionPlot
{
    /// <summary>Writes the PNG to <paramref name="path"/>.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="histograms">Per client, its sample count per class (indexed like <paramref name="classNames"/>).</param>
    /// <param name="classNames">The names of the classes, in label order.</param>
    public static void Write(string path, IReadOnlyList<int[]> histograms, IReadOnlyList<string> classNames)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<ScottPlot.Bar>();
        for (int client = 0; client < histograms.Count; client++)
        {
            double bottom = 0;
            for (int c = 0; c < classNames.Count; c++)
            {
                int count = histograms[client][c];
                if (count == 0) continue;
                bars.Add(new ScottPlot.Bar { Position = client, ValueBase = bottom, Value = bottom + count, FillColor = palette.GetColor(c) });
                bottom += count;
            }
        }
        plot.Add.Bars(bars);
        for (int c = 0; c < classNames.Count; c++)
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = classNames[c], FillColor = palette.GetColor(c) });
        plot.ShowLegend(ScottPlot.Edge.Right);
        plot.Title("Samples per client, by label");
        plot.XLabel("client");
        plot.YLabel("samples");
        plot.Axes.Margins(bottom: 0);
        plot.SavePng(path, Math.Max(640, 40 * histograms.Count + 240), 480);
    }
}
