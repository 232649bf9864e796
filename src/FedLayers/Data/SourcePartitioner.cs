namespace FedLayers.Data;

/// <summary>
/// Domain skew by source, as the paper's XGLUE clients differ by language: each client takes
/// its samples of every class from one domain of that class (for SpamAssassin, its ham from one
/// ham group and its spam from one spam group). Clients are spread round-robin over the
/// combinations of domains, in an order that first uses every domain of every class; the
/// samples of one (class, domain) are shuffled and dealt evenly among the clients that use it,
/// so every sample goes to exactly one client.
/// </summary>
/// <param name="minSamplesPerClient">The fewest samples a client may get (at least 1 is enforced).</param>
public sealed class SourcePartitioner(int minSamplesPerClient = 1) : IDomainPartitioner
{
    /// <inheritdoc/>
    public string Name => "source";

    /// <summary>Always refuses: this partition needs domains.</summary>
    /// <exception cref="UserInputException">Always.</exception>
    public int[][] Split(IReadOnlyList<long> labels, int numClasses, int clients, Random random) =>
        throw PartitionChecks.NoDomains(Name);

    /// <inheritdoc/>
    /// <exception cref="UserInputException">No sample names a domain, or only some do.</exception>
    /// <exception cref="ArgumentException">A class has more domains than there are clients, or a client would get fewer than the minimum.</exception>
    public int[][] Split(IReadOnlyList<long> labels, IReadOnlyList<string?> domains, int numClasses, int clients, Random random)
    {
        if (domains.Count != labels.Count) throw new ArgumentException($"{domains.Count} domains for {labels.Count} labels", nameof(domains));
        int missing = domains.Count(d => d is null);
        if (missing == domains.Count) return Split(labels, numClasses, clients, random);
        if (missing > 0)
            throw new UserInputException($"partition source: {missing} of {domains.Count} training samples have no domain; expected every sample to name its source");
        PartitionChecks.RequireClients(clients, labels.Count, Math.Max(1, minSamplesPerClient));

        // Per class that has samples: its domains (sorted) and, per domain, its sample indices.
        var classes = Enumerable.Range(0, numClasses).Where(c => labels.Contains(c)).ToArray();
        var domainsOf = classes.Select(c => Enumerable.Range(0, labels.Count).Where(i => labels[i] == c)
            .GroupBy(i => domains[i]!).OrderBy(g => g.Key, StringComparer.Ordinal).ToArray()).ToArray();
        for (int k = 0; k < classes.Length; k++)
            if (domainsOf[k].Length > clients)
                throw new ArgumentException(
                    $"the source partition gives every client one domain per class, and class {classes[k]} has " +
                    $"{domainsOf[k].Length} domains ({string.Join(", ", domainsOf[k].Select(g => g.Key))}); use at least {domainsOf[k].Length} clients, got {clients}", nameof(clients));

        var assignment = AssignCombinations(domainsOf.Select(d => d.Length).ToArray(), clients);
        var shards = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToArray();
        for (int k = 0; k < classes.Length; k++)
            for (int d = 0; d < domainsOf[k].Length; d++)
            {
                var users = Enumerable.Range(0, clients).Where(client => assignment[client][k] == d).ToArray();
                var samples = domainsOf[k][d].ToArray();
                random.Shuffle(samples);
                int start = 0;
                for (int u = 0; u < users.Length; u++)
                {
                    int size = samples.Length / users.Length + (u < samples.Length % users.Length ? 1 : 0);
                    shards[users[u]].AddRange(samples[start..(start + size)]);
                    start += size;
                }
            }

        var result = shards.Select(s => s.Order().ToArray()).ToArray();
        int smallest = result.Min(s => s.Length);
        if (smallest < Math.Max(1, minSamplesPerClient))
            throw new ArgumentException(
                $"with {clients} clients the source partition gives a client {smallest} samples, expected at least {Math.Max(1, minSamplesPerClient)}; use fewer clients", nameof(clients));
        return result;
    }

    /// <summary>
    /// Per client, the domain index it uses for each class. Combinations are taken one at a time,
    /// each time the unused one whose domains have served the fewest clients so far (ties: the
    /// first in order), so the first clients cover every domain; once all are used the order repeats.
    /// </summary>
    internal static int[][] AssignCombinations(int[] domainCounts, int clients)
    {
        var combinations = new List<int[]> { Array.Empty<int>() };
        foreach (var count in domainCounts)
            combinations = combinations.SelectMany(prefix => Enumerable.Range(0, count).Select(d => (int[])[.. prefix, d])).ToList();
        var usage = domainCounts.Select(count => new int[count]).ToArray();
        var order = new List<int[]>();
        var unused = new List<int[]>(combinations);
        while (unused.Count > 0)
        {
            var next = unused.MinBy(combo => combo.Select((d, k) => usage[k][d]).Sum())!;
            unused.Remove(next);
            order.Add(next);
            for (int k = 0; k < next.Length; k++) usage[k][next[k]]++;
        }
        return Enumerable.Range(0, clients).Select(client => order[client % order.Count]).ToArray();
    }
}
