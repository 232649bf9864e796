namespace FedLayers.Data;

/// <summary>
/// Domain skew, as the paper's DomainNet and XGLUE splits: every client holds data of one domain
/// only (a language, a source). Clients are spread evenly over the domains (client c takes domain
/// c mod D, domains in name order) and each domain's shuffled samples are dealt evenly among its clients.
/// </summary>
/// <param name="minSamplesPerClient">The fewest samples a client may get.</param>
public sealed class DomainPartitioner(int minSamplesPerClient) : IDomainPartitioner
{
    /// <inheritdoc/>
    public string Name => "domain";

    /// <summary>Always refuses: this partition needs domains.</summary>
    /// <exception cref="UserInputException">Always.</exception>
    public int[][] Split(IReadOnlyList<long> labels, int numClasses, int clients, Random random) =>
        throw PartitionChecks.NoDomains(Name);

    /// <inheritdoc/>
    /// <exception cref="UserInputException">No sample names a domain, or only some do.</exception>
    /// <exception cref="ArgumentException">Fewer clients than domains, or a client would get fewer than the minimum.</exception>
    public int[][] Split(IReadOnlyList<long> labels, IReadOnlyList<string?> domains, int numClasses, int clients, Random random)
    {
        PartitionChecks.RequireClients(clients, labels.Count, minSamplesPerClient);
        var names = domains.OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return Split(labels, numClasses, clients, random);
        if (domains.Any(d => d is null))
            throw new UserInputException($"partition domain: {domains.Count(d => d is null)} samples have no domain; expected every sample to name one");
        if (clients < names.Count)
            throw new ArgumentException($"the domain partition needs at least one client per domain ({names.Count}: {string.Join(", ", names)}), got {clients}", nameof(clients));
        var shards = Enumerable.Range(0, clients).Select(_ => new List<int>()).ToArray();
        for (int d = 0; d < names.Count; d++)
        {
            var members = Enumerable.Range(0, labels.Count).Where(i => domains[i] == names[d]).ToArray();
            random.Shuffle(members);
            var owners = Enumerable.Range(0, clients).Where(c => c % names.Count == d).ToArray();
            for (int k = 0; k < members.Length; k++) shards[owners[k % owners.Length]].Add(members[k]);
        }
        var small = Array.FindIndex(shards, s => s.Count < minSamplesPerClient);
        if (small >= 0)
            throw new ArgumentException($"with {clients} clients, client {small} (domain {names[small % names.Count]}) gets {shards[small].Count} samples, " +
                                        $"fewer than the minimum of {minSamplesPerClient} per client; use fewer clients", nameof(clients));
        return shards.Select(s => s.Order().ToArray()).ToArray();
    }
}
