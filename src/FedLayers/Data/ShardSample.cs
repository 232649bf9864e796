namespace FedLayers.Data;

/// <summary>Caps a client's shard (the most samples per client) with a seeded draw that keeps index order.</summary>
public static class ShardSample
{
    public static int[] AtMost(int[] shard, int most, Random random) =>
        shard.Length <= most ? shard : [.. random.Permutation(shard.Length).Take(most).Select(k => shard[k]).Order()];
}
