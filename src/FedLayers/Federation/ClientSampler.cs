using FedLayers.Data;

namespace FedLayers.Federation;

/// <summary>
/// Samples the clients of each round, a fresh draw per round: K of the N clients uniformly without
/// replacement, or (<paramref name="poisson"/>) every client independently with probability K / N, so that
/// a round has K clients on average and maybe none: the sampling the privacy accountant assumes. A retried
/// round (attempt > 0) draws anew. Only clients in the given available set can be drawn. Under Poisson sampling
/// the server gives all clients, connected or not, and waits for a sampled one that is not connected yet, so
/// that a deployment draws the clients its simulation draws; otherwise it gives the connected ones, which
/// draws the same clients whichever transport is used when all are connected.
/// </summary>
public sealed class ClientSampler(int seed, int clientCount, int clientsPerRound, bool poisson = false)
{
    /// <summary>The probability that a given client takes part in a round under Poisson sampling, K / N.</summary>
    public double SamplingRate => (double)clientsPerRound / clientCount;

    /// <summary>The sampled client ids of <paramref name="round"/>, ascending, when every client is available.</summary>
    public IReadOnlyList<int> Sample(int round) => Sample(round, 0, null);

    /// <summary>The sampled client ids of one attempt at <paramref name="round"/>, ascending: the first
    /// K of a seeded permutation that are in <paramref name="available"/> (null: all), or fewer if fewer are.</summary>
    public IReadOnlyList<int> Sample(int round, int attempt, IReadOnlySet<int>? available)
    {
        var random = attempt == 0 ? SeededRandom.For(seed, "client-sampler", round) : SeededRandom.For(seed, "client-sampler", round, attempt);
        if (poisson)
            return Enumerable.Range(0, clientCount).Where(id => random.NextDouble() < SamplingRate && (available?.Contains(id) ?? true)).ToList();
        return random.Permutation(clientCount).Where(id => available?.Contains(id) ?? true)
            .Take(clientsPerRound).Order().ToList();
    }
}
