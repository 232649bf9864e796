using FedLayers.Data;

namespace FedLayers.Federation;

/// <summary>
/// Samples K of the N clients uniformly without replacement, a fresh draw per round. A retried
/// round (attempt > 0) draws anew, and only clients that are available can be drawn; when all
/// are, attempt 0 gives the same clients whichever transport is used.
/// </summary>
public sealed class ClientSampler(int seed, int clientCount, int clientsPerRound)
{
    /// <summary>The sampled client ids of <paramref name="round"/>, ascending, when every client is available.</summary>
    public IReadOnlyList<int> Sample(int round) => Sample(round, 0, null);

    /// <summary>The sampled client ids of one attempt at <paramref name="round"/>, ascending: the first
    /// K of a seeded permutation that are in <paramref name="available"/> (null: all), or fewer if fewer are.</summary>
    public IReadOnlyList<int> Sample(int round, int attempt, IReadOnlySet<int>? available)
    {
        var random = attempt == 0 ? SeededRandom.For(seed, "client-sampler", round) : SeededRandom.For(seed, "client-sampler", round, attempt);
        return random.Permutation(clientCount).Where(id => available?.Contains(id) ?? true)
            .Take(clientsPerRound).Order().ToList();
    }
}
