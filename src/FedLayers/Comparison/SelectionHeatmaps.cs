using ScottPlot;

namespace FedLayers.Comparison;

/// <summary>
/// Where a strategy put the training: how often each layer was selected in each round (over the
/// sampled clients of every seed), and, for one round, every client's mask with clients sorted by budget.
/// </summary>
public static class SelectionHeatmaps
{
    /// <summary>Writes the PNG of, per round (column) and layer (row), the share of sampled clients that trained the layer.</summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="strategy">The strategy's name, for the title.</param>
    /// <param name="runs">The strategy's runs (one per seed), over the rounds they all have.</param>
    /// <param name="layers">the selectable layer groups, input to output.</param>
    public static void WriteLayerFrequency(string path, string strategy, IReadOnlyList<RecordedRun> runs, IReadOnlyList<string> layers)
    {
        int rounds = runs.Min(r => r.Rounds.Count) - 1; // round 0 trains nothing
        var share = new double[layers.Count, Math.Max(rounds, 1)];
        for (int t = 1; t <= rounds; t++)
        {
            var clients = runs.SelectMany(r => r.Rounds[t].Clients).ToList();
            for (int l = 0; l < layers.Count; l++)
                share[RowOf(l, layers.Count), t - 1] = clients.Count == 0 ? 0 : clients.Count(c => c.Groups.Contains(layers[l])) / (double)clients.Count;
        }
        Write(path, share, $"{strategy}: share of sampled clients training each layer", "round", layers, column => $"{column + 1}");
    }

    /// <summary>One round's masks: a column per client (sorted by budget, then as sampled), a row per layer.</summary>
    public static void WriteMasks(string path, RecordedRun run, int round, IReadOnlyList<string> layers)
    {
        var clients = run.Rounds[round].Clients.OrderBy(c => c.Budget).ToList();
        var taken = new double[layers.Count, Math.Max(clients.Count, 1)];
        for (int i = 0; i < clients.Count; i++)
            for (int l = 0; l < layers.Count; l++)
                taken[RowOf(l, layers.Count), i] = clients[i].Groups.Contains(layers[l]) ? 1 : 0;
        Write(path, taken, $"{run.Strategy}, seed {run.Seed}, round {round}: masks (clients sorted by budget)", "client (budget)", layers,
            column => column < clients.Count ? $"{clients[column].Budget:0.##}" : "");
    }

    /// <summary>The data row of a layer. ScottPlot draws row 0 at the top and row r at y = rows - 1 - r,
    /// so with the output layer in row 0, layer l sits at y = l: input at the bottom, output on top.</summary>
    private static int RowOf(int layer, int layerCount) => layerCount - 1 - layer;

    private static void Write(string path, double[,] values, string title, string xLabel, IReadOnlyList<string> layers, Func<int, string> columnLabel)
    {
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(heatmap);
        int columns = values.GetLength(1);
        var step = Math.Max(1, columns / 20);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, columns).Where(c => c % step == 0).Select(c => (double)c).ToArray(),
            Enumerable.Range(0, columns).Where(c => c % step == 0).Select(columnLabel).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, layers.Count).Select(l => (double)l).ToArray(), layers.ToArray());
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.SavePng(path, Math.Max(640, 24 * columns + 300), Math.Max(360, 26 * layers.Count + 160));
    }
}
