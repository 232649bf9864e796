using FedLayers.Federation;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

/// <summary>Frozen-prefix outputs kept from round to round: bitwise the results of recomputing them, fewer computations while the
/// layers below do not change, none of the kept outputs once they do, and the memory budget shared by the clients.</summary>
public class CrossRoundPrefixCacheTests
{
    private static readonly bool[] TopOnly = [false, false, false, true];
    private static readonly bool[] Middle = [false, true, false, false];

    /// <summary>A round's result, and how many batches ran the input group: the part of the prefix no kept output saved.</summary>
    private sealed record Round(double Loss, double Flops, Dictionary<string, Tensor> Deltas, int InputGroupRuns);

    /// <summary>Trains the clients in <paramref name="clients"/> one round each with the masks given; the global weights take
    /// every update, as an aggregation of one client would, and <paramref name="between"/> may move them further.</summary>
    private static List<Round> Train(CrossRoundPrefixCache? cache, IReadOnlyList<bool[]> masks, IReadOnlyList<int>? clients = null,
        Action<ModelState, int>? between = null)
    {
        using var data = TinyData.Images(40, classes: 3, size: 4);
        torch.manual_seed(6);
        using var model = new LinearChainModel(16, selectable: 4, classes: 3);
        using var global = ModelState.Capture(model);
        var trainer = new ClientTrainer(model, CPU);
        var samples = Enumerable.Range(0, data.Count).ToList();
        var rounds = new List<Round>();
        for (int round = 0; round < masks.Count; round++)
        {
            // one local epoch: every sample once a round, so a kept output is used in the next round
            using var update = trainer.Train(clients?[round] ?? 0, global, data, samples, TrainableGroups.ForMask(model.Groups, masks[round]),
                new LocalTrainingOptions(1, null, 0.05, 16, PrefixCacheBytes: 0), new Random(round), cache);
            foreach (var (name, delta) in update.Deltas) global.Add(name, delta);
            between?.Invoke(global, round);
            rounds.Add(new Round(update.TrainLoss, update.TrainingFlops, update.Deltas.ToDictionary(d => d.Key, d => d.Value.clone()),
                model.Runs.Count(r => r.Group == 0)));
            model.Runs.Clear();
        }
        return rounds;
    }

    private static void AssertBitwiseSame(List<Round> expected, List<Round> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int r = 0; r < expected.Count; r++)
        {
            Assert.Equal(expected[r].Loss, actual[r].Loss);
            Assert.Equal(expected[r].Flops, actual[r].Flops); // the configuration's arithmetic, whatever was kept
            foreach (var (name, delta) in expected[r].Deltas)
                Assert.True(TensorAssert.BitwiseEqual(delta, actual[r].Deltas[name]), $"round {r + 1}: the delta of {name} differs");
        }
    }

    [Fact]
    public void KeptOutputsServeLaterRoundsWithBitwiseTheResultsOfRecomputing()
    {
        var recomputed = Train(null, [TopOnly, TopOnly, TopOnly]);
        using var cache = new CrossRoundPrefixCache(long.MaxValue);
        var kept = Train(cache, [TopOnly, TopOnly, TopOnly]);

        AssertBitwiseSame(recomputed, kept);
        // three batches of a local epoch run the prefix in round 1; from round 2 on every output is kept
        Assert.Equal([3, 3, 3], recomputed.Select(r => r.InputGroupRuns));
        Assert.Equal([3, 0, 0], kept.Select(r => r.InputGroupRuns));
        Assert.Equal(1, cache.Clients);
        Assert.True(cache.UsedBytes > 0);
    }

    [Fact]
    public void OutputsEndingLowerAreRunOnThroughTheGroupsInBetween()
    {
        // round 2 trains a middle block, so its kept outputs end there; round 3 trains the top again and runs them on from there
        var recomputed = Train(null, [TopOnly, Middle, TopOnly]);
        using var cache = new CrossRoundPrefixCache(long.MaxValue);
        var kept = Train(cache, [TopOnly, Middle, TopOnly]);

        AssertBitwiseSame(recomputed, kept);
        // round 2's prefix ends below round 1's entry, which is dropped; round 3 runs round 2's outputs on, never the input group
        Assert.Equal([3, 3, 0], kept.Select(r => r.InputGroupRuns));
    }

    [Fact]
    public void AChangeBelowTheKeptOutputsMakesThemUnusable()
    {
        // after round 1 the lowest block moves: round 2 must compute every prefix output again
        static void MoveTheLowestBlock(ModelState global, int round)
        {
            if (round == 0) global.Add("layers.0.weight", full_like(global["layers.0.weight"], 1e-3));
        }
        var recomputed = Train(null, [TopOnly, TopOnly], between: MoveTheLowestBlock);
        using var cache = new CrossRoundPrefixCache(long.MaxValue);
        var kept = Train(cache, [TopOnly, TopOnly], between: MoveTheLowestBlock);

        AssertBitwiseSame(recomputed, kept);
        Assert.Equal([3, 3], kept.Select(r => r.InputGroupRuns));
    }

    [Fact]
    public void TheClientsShareOneBudgetAndTheOneTrainedLongestAgoMakesRoom()
    {
        using var measure = new CrossRoundPrefixCache(long.MaxValue);
        Train(measure, [TopOnly]);
        long entry = measure.UsedBytes;

        using var cache = new CrossRoundPrefixCache(2 * entry);
        var kept = Train(cache, [TopOnly, TopOnly, TopOnly, TopOnly, TopOnly], clients: [0, 1, 0, 2, 0]);
        var recomputed = Train(null, [TopOnly, TopOnly, TopOnly, TopOnly, TopOnly], clients: [0, 1, 0, 2, 0]);

        AssertBitwiseSame(recomputed, kept);
        Assert.Equal(2, cache.Clients);
        Assert.Equal(2 * entry, cache.UsedBytes);
        // client 0's entry served rounds 3 and 5: client 2 evicted client 1, not client 0, which had trained more recently
        Assert.Equal([3, 3, 0, 3, 0], kept.Select(r => r.InputGroupRuns));
        Assert.Null(CrossRoundPrefixCache.WithCapacity(0));
    }
}
