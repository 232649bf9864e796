using FedLayers.Data;

namespace FedLayers.Federation;

/// <summary>
/// The mini-batches one client uses in one round: each pass over its samples is a fresh
/// seeded shuffle; the last batch of a pass may be smaller. Public so that tests can replay
/// exactly the batches a client saw.
/// </summary>
public static class BatchOrder
{
    /// <summary>
    /// The batches of one client's local training, as lists of sample indices, drawn lazily from
    /// <paramref name="random"/> (the same stream replays the same batches).
    /// </summary>
    /// <param name="samples">the client's sample indices into the training set; none gives no batch.</param>
    /// <param name="batchSize">samples per batch, at least 1.</param>
    /// <param name="steps">a fixed number of optimiser steps (passes repeat as needed), or null.</param>
    /// <param name="epochs">full passes over the samples; used when <paramref name="steps"/> is null.</param>
    /// <param name="random">the shuffling stream, e.g. <see cref="TrainingStream"/>.</param>
    public static IEnumerable<int[]> Batches(IReadOnlyList<int> samples, int batchSize, int epochs, int? steps, Random random)
    {
        if (samples.Count == 0) yield break;
        int produced = 0;
        for (int pass = 0; steps is { } s ? produced < s : pass < epochs; pass++)
        {
            var order = random.Permutation(samples.Count);
            for (int start = 0; start < order.Length; start += batchSize)
            {
                if (steps is { } limit && produced >= limit) yield break;
                yield return order.Skip(start).Take(batchSize).Select(k => samples[k]).ToArray();
                produced++;
            }
        }
    }

    /// <summary>The random stream of one client's local training in one round.</summary>
    public static Random TrainingStream(int seed, int round, int clientId) => SeededRandom.For(seed, "local-training", round, clientId);

    /// <summary>The random stream of one client's gradient probe in one round.</summary>
    public static Random ProbeStream(int seed, int round, int clientId) => SeededRandom.For(seed, "gradient-probe", round, clientId);
}
