using FedLayers.Data;

namespace FedLayers.Federation;

/// <summary>Samples K of the N clients uniformly without replacement, a fresh draw per round.</summary>
public sealed class ClientSampler(int seed, int clientCount, int clientsPerRound)
{
    /// <summary>The sampled client ids of <paramref name="round"/>, ascending.</summary>
    public IReadOnlyList<int> Sample(int round) =>
        SeededRandom.For(seed, "client-sampler", round).Permutation(clientCount)
            .Take(clientsPerRound).Order().ToList();
}
