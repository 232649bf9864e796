using System.Text.Json;

namespace FedLayers.Reporting;

/// <summary>partition.json: per client its sample count, label histogram, domains (for data that has them) and
/// budget, in the cost unit named once at the top; and partition.png, the label histograms as stacked bars.</summary>
public static class PartitionReport
{
    public static void Write(string path, string plotPath, IReadOnlyList<int[]> shards, IReadOnlyList<long> labels, IReadOnlyList<string> classNames,
        IReadOnlyList<double> budgets, string costUnit, IReadOnlyList<string?>? domains)
    {
        var histograms = shards.Select(shard => Enumerable.Range(0, classNames.Count).Select(c => shard.Count(i => labels[i] == c)).ToArray()).ToList();
        var clients = shards.Select((shard, client) => new
        {
            client,
            samples = shard.Length,
            label_histogram = histograms[client],
            domains = domains is null ? null : shard.Select(i => domains[i]).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToArray(),
            budget = budgets[client],
        });
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { classes = classNames, cost_unit = costUnit, clients }, Json.Indented));
        PartitionPlot.Write(plotPath, histograms, classNames);
    }
}
