namespace FedLayers.Data;

/// <summary>Caps a client's shard (the most samples per client) with a seeded draw that keeps index order.</summary>
public static class ShardSample
{
    /// <summary>The shard itself if it has at most <paramref name="most"/> indices, else a seeded draw of <paramref name="most"/> of them in ascending order.</summary>
    public static int[] AtMost(int[] shard, int most, Random random) =>
        shard.Length <= most ? shard : [.. random.Permutation(shard.Length).Take(most).Select(k => shard[k]).Order()];
}
