using System.Text.Json;

namespace FedLayers.Reporting;

/// <summary>partition.json: per client its sample count, label histogram, domains (for data that has them) and
/// budget, in the cost unit named once at the top beside the distribution the budgets were drawn from; and partition.png,
/// the label histograms as stacked bars.</summary>
public static class PartitionReport
{
    /// <summary>Writes partition.json to <paramref name="path"/> (atomically) and the plot to <paramref name="plotPath"/>.</summary>
    /// <param name="path">The JSON file to write.</param>
    /// <param name="plotPath">The PNG file to write (<see cref="PartitionPlot"/>).</param>
    /// <param name="shards">Per client, the indices of its training samples.</param>
    /// <param name="labels">Per training sample, its class.</param>
    /// <param name="classNames">The names of the classes, in label order.</param>
    /// <param name="budgets">Per client, its budget in <paramref name="costUnit"/>.</param>
    /// <param name="costUnit">The unit of the budgets (layers, params or flops).</param>
    /// <param name="budgetDistribution">The distribution the budgets were drawn from (centred or reference).</param>
    /// <param name="domains">Per training sample, its domain, or null when the data has none.</param>
    public static void Write(string path, string plotPath, IReadOnlyList<int[]> shards, IReadOnlyList<long> labels, IReadOnlyList<string> classNames,
        IReadOnlyList<double> budgets, string costUnit, string budgetDistribution, IReadOnlyList<string?>? domains)
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
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new { classes = classNames, cost_unit = costUnit, budget_distribution = budgetDistribution, clients }, Json.Indented));
        PartitionPlot.Write(plotPath, histograms, classNames);
    }
}
