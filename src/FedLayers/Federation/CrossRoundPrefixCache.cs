namespace FedLayers.Federation;

/// <summary>
/// Frozen-prefix outputs kept from one round to the next, one entry per client, under one memory budget. A client that
/// trains only high layers computes the same prefix outputs for its samples in every round as long as the layers below
/// do not change (under <c>top</c> they never do); its entry serves every sample it held, in any later round, whose
/// prefix weights still have the digests that computed it (<see cref="GroupDigests"/>), so results are bitwise those of
/// recomputing. When the budget is full, the entries of the clients that trained longest ago make room. One client
/// trains at a time: a simulation trains its clients in turn, a deployed client has a cache of its own.
/// </summary>
/// <param name="capacityBytes">the most the kept outputs of all clients may take, the training client's included.</param>
public sealed class CrossRoundPrefixCache(long capacityBytes) : IDisposable
{
    private readonly Dictionary<int, (CarriedPrefix Entry, long LastUse)> entries = [];
    private long used;
    private long inTraining;
    private long uses;

    /// <summary>A cache of <paramref name="capacityBytes"/> (null: <see cref="LocalTrainingOptions.DefaultPrefixCacheBytes"/>), or null
    /// for 0, which keeps nothing.</summary>
    public static CrossRoundPrefixCache? WithCapacity(long? capacityBytes) =>
        (capacityBytes ?? LocalTrainingOptions.DefaultPrefixCacheBytes) is > 0 and var bytes ? new CrossRoundPrefixCache(bytes) : null;

    /// <summary>The most the kept outputs of all clients may take.</summary>
    public long CapacityBytes => capacityBytes;

    /// <summary>The bytes the clients' kept outputs take, the training client's included.</summary>
    public long UsedBytes => used + inTraining;

    /// <summary>The clients that have kept outputs.</summary>
    public int Clients => entries.Count;

    /// <summary>Takes <paramref name="clientId"/>'s entry out of the cache: returned when its prefix ends at or below
    /// <paramref name="highestBoundary"/> and its groups' weights are those of <paramref name="digests"/>, disposed otherwise.
    /// An entry ending lower is held while the client trains and counts against the budget until <see cref="Put"/>; one
    /// ending at <paramref name="highestBoundary"/> moves into the client's new outputs as they are made (for the moment of
    /// the copy both exist).</summary>
    internal CarriedPrefix? Take(int clientId, int highestBoundary, GroupDigests digests)
    {
        if (!entries.Remove(clientId, out var kept)) return null;
        used -= kept.Entry.Bytes;
        if (kept.Entry.Boundary <= highestBoundary && digests.Match(kept.Entry.Digests))
        {
            inTraining = kept.Entry.Boundary < highestBoundary ? kept.Entry.Bytes : 0;
            return kept.Entry;
        }
        kept.Entry.Dispose();
        return null;
    }

    /// <summary>Makes room for up to <paramref name="bytes"/> of the training client's new outputs, dropping the entries of the
    /// clients used longest ago as needed; returns the bytes granted (less when even an empty cache has less room).</summary>
    internal long Reserve(long bytes)
    {
        while (used + inTraining + bytes > capacityBytes && entries.Count > 0)
        {
            var oldest = entries.MinBy(e => e.Value.LastUse);
            entries.Remove(oldest.Key);
            used -= oldest.Value.Entry.Bytes;
            oldest.Value.Entry.Dispose();
        }
        long granted = Math.Clamp(capacityBytes - used - inTraining, 0, bytes);
        inTraining += granted;
        return granted;
    }

    /// <summary>Keeps <paramref name="entry"/> as <paramref name="clientId"/>'s, replacing what the client trained with; the
    /// training client's reservation ends.</summary>
    internal void Put(int clientId, CarriedPrefix? entry)
    {
        inTraining = 0;
        if (entry is null) return;
        if (used + entry.Bytes > capacityBytes)
        {
            entry.Dispose();
            return;
        }
        entries[clientId] = (entry, ++uses);
        used += entry.Bytes;
    }

    /// <summary>Frees every kept output.</summary>
    public void Dispose()
    {
        foreach (var (entry, _) in entries.Values) entry.Dispose();
        entries.Clear();
        used = 0;
    }
}
