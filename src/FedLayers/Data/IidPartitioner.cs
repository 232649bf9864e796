namespace FedLayers.Data;

/// <summary>
/// No skew: a random permutation of the samples dealt into near-equal shards
/// (sizes differ by at most one), so every client sees the population's label mix.
/// Each shard is sorted: batch order is shuffled by the trainer, and sorted indices read the
/// dataset tensor front to back.
/// </summary>
public sealed class IidPartitioner : IPartitioner
{
    /// <inheritdoc/>
    public string Name => "iid";

    /// <inheritdoc/>
    public int[][] Split(IReadOnlyList<long> labels, int numClasses, int clients, Random random)
    {
        PartitionChecks.RequireClients(clients, labels.Count, minSamplesPerClient: 1);
        var order = random.Permutation(labels.Count);
        var shards = new int[clients][];
        int start = 0;
        for (int client = 0; client < clients; client++)
        {
            // The first (Count mod clients) clients take one extra sample.
            int size = labels.Count / clients + (client < labels.Count % clients ? 1 : 0);
            shards[client] = order[start..(start + size)];
            Array.Sort(shards[client]);
            start += size;
        }
        return shards;
    }
}
