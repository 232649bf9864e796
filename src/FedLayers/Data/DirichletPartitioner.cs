namespace FedLayers.Data;

/// <summary>
/// Label skew: for every class, the shares of the clients are drawn from a symmetric
/// Dirichlet(alpha). Small alpha (e.g. 0.1) gives each client few classes; large alpha
/// approaches an iid split. Whole splits are redrawn until every client has at least
/// <see cref="MinSamplesPerClient"/> samples. Each shard is sorted, as in <see cref="IidPartitioner"/>.
/// </summary>
public sealed class DirichletPartitioner : IPartitioner
{
    /// <summary>How many whole splits are drawn before giving up on the minimum client size.</summary>
    public const int MaxAttempts = 1000;

    /// <param name="alpha">The Dirichlet concentration, positive and finite.</param>
    /// <param name="minSamplesPerClient">The fewest samples a client may get, zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value outside these ranges.</exception>
    public DirichletPartitioner(double alpha, int minSamplesPerClient)
    {
        if (!(alpha > 0) || double.IsInfinity(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"expected a positive Dirichlet concentration, found {alpha}");
        ArgumentOutOfRangeException.ThrowIfNegative(minSamplesPerClient);
        Alpha = alpha;
        MinSamplesPerClient = minSamplesPerClient;
    }

    /// <inheritdoc/>
    public string Name => "dirichlet";

    /// <summary>The Dirichlet concentration: small gives each client few classes.</summary>
    public double Alpha { get; }

    /// <summary>The fewest samples a client may get.</summary>
    public int MinSamplesPerClient { get; }

    /// <inheritdoc/>
    /// <exception cref="UserInputException">No draw in <see cref="MaxAttempts"/> gives every client <see cref="MinSamplesPerClient"/> samples.</exception>
    public int[][] Split(IReadOnlyList<long> labels, int numClasses, int clients, Random random)
    {
        PartitionChecks.RequireClients(clients, labels.Count, MinSamplesPerClient);
        var byClass = IndicesByClass(labels, numClasses);
        foreach (var indices in byClass) random.Shuffle(indices);

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var cuts = DrawCuts(byClass, clients, random);
            if (Enumerable.Range(0, clients).All(client => ClientSize(cuts, client) >= MinSamplesPerClient))
                return Assemble(byClass, cuts, clients);
        }
        throw new UserInputException(
            $"no split with at least {MinSamplesPerClient} samples per client was found for alpha {Alpha} and {clients} clients " +
            $"in {MaxAttempts} draws; use a larger alpha or fewer clients");
    }

    private static int[][] IndicesByClass(IReadOnlyList<long> labels, int numClasses)
    {
        var byClass = Enumerable.Range(0, numClasses).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] < 0 || labels[i] >= numClasses)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label at {i} is outside 0..{numClasses - 1}");
            byClass[labels[i]].Add(i);
        }
        return byClass.Select(list => list.ToArray()).ToArray();
    }

    /// <summary>
    /// One draw: per class, cut points into its shuffled indices; client k gets the slice
    /// cuts[c][k] .. cuts[c][k + 1] of class c.
    /// </summary>
    private int[][] DrawCuts(int[][] byClass, int clients, Random random)
    {
        var cuts = new int[byClass.Length][];
        for (int c = 0; c < byClass.Length; c++)
        {
            var shares = random.NextDirichlet(Alpha, clients);
            int size = byClass[c].Length;
            cuts[c] = new int[clients + 1];
            // Rounding the cumulative shares (not each share) keeps the cuts ordered and makes
            // the slices cover the class exactly, so every index lands with exactly one client.
            double cumulative = 0;
            for (int client = 1; client < clients; client++)
            {
                cumulative += shares[client - 1];
                cuts[c][client] = Math.Min(size, (int)Math.Round(cumulative * size));
            }
            cuts[c][clients] = size;
        }
        return cuts;
    }

    private static int ClientSize(int[][] cuts, int client) => cuts.Sum(classCuts => classCuts[client + 1] - classCuts[client]);

    private static int[][] Assemble(int[][] byClass, int[][] cuts, int clients)
    {
        var shards = new int[clients][];
        for (int client = 0; client < clients; client++)
        {
            shards[client] = byClass
                .SelectMany((indices, c) => indices[cuts[c][client]..cuts[c][client + 1]])
                .ToArray();
            Array.Sort(shards[client]);
        }
        return shards;
    }
}
