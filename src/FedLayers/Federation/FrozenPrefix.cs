using FedLayers.Data;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// The groups below a client's lowest trained group, during that client's local training. They
/// are frozen and in eval mode (<see cref="LayeredModel.TrainOnly"/>: no dropout, batch norm on its
/// running statistics) and the data has no augmentation, so a sample's prefix output is fixed for
/// the whole local training. It is computed without autograd (no graph, no input gradients), and
/// kept for the samples that the batch plan visits more than once, as many as fit in the byte
/// budget; the others are recomputed at every visit.
/// <para>
/// With a <see cref="CrossRoundPrefixCache"/> the outputs also outlive the training: every visited sample is kept (those
/// visited twice first), <see cref="Release"/> hands them over as the client's entry, and the client's entry of an earlier
/// round (<see cref="CarriedPrefix"/>) serves the samples it holds: as they are when it ends where this prefix ends,
/// through the groups in between when it ends lower. A sample's output does not depend on which other rows share its batch
/// as long as there is at least one (tested on CPU with ResNet18), so rows are never run alone out of a larger batch and every
/// output is bitwise what recomputing its batch gives; a batch of one sample is always computed as it is.
/// </para>
/// </summary>
internal sealed class FrozenPrefix : IDisposable
{
    private readonly LayeredModel model;
    private readonly int endGroup;
    private readonly LabeledDataset data;
    private readonly Device device;
    private readonly Func<long, long> reserve;
    private readonly bool keptAcrossRounds;
    /// <summary>The samples that get a place while there is room, in order: the revisited ones, then (kept across rounds)
    /// the others this training visits, then those of the carried entry it does not visit.</summary>
    private readonly List<int> candidates;
    private CarriedPrefix? carried;
    private Dictionary<int, int>? slots;
    private bool[] filled = [];
    private GroupActivation? storage;

    /// <summary>A prefix that keeps the revisited samples' outputs within one training.</summary>
    /// <param name="model">the module being trained; its prefix groups must be frozen and in eval mode.</param>
    /// <param name="endGroup">the lowest trained group: the prefix is groups [0, endGroup).</param>
    /// <param name="data">the training set the batches index into.</param>
    /// <param name="device">where the inputs and the kept outputs live.</param>
    /// <param name="batches">every batch of the local training, in order (the plan decides which samples come back).</param>
    /// <param name="capacityBytes">the most the kept outputs may take; 0 keeps none.</param>
    public FrozenPrefix(LayeredModel model, int endGroup, LabeledDataset data, Device device, IReadOnlyList<int[]> batches, long capacityBytes)
        : this(model, endGroup, data, device, batches, bytes => Math.Min(bytes, capacityBytes), keptAcrossRounds: false, carried: null)
    {
    }

    /// <summary>A prefix whose outputs may come from, and go to, a <see cref="CrossRoundPrefixCache"/>.</summary>
    /// <param name="model">the module being trained; its prefix groups must be frozen and in eval mode.</param>
    /// <param name="endGroup">the lowest trained group: the prefix is groups [0, endGroup).</param>
    /// <param name="data">the training set the batches index into.</param>
    /// <param name="device">where the inputs and the kept outputs live.</param>
    /// <param name="batches">every batch of the local training, in order (the plan decides which samples come back).</param>
    /// <param name="reserve">given the bytes the candidates' outputs take, the bytes they may take (0 keeps none).</param>
    /// <param name="keptAcrossRounds">keep every visited sample's output for <see cref="Release"/>, not only the revisited ones.</param>
    /// <param name="carried">the client's outputs from an earlier round, their prefix ending at or below
    /// <paramref name="endGroup"/> and computed by the current weights; null without. Owned by this prefix from here on.</param>
    public FrozenPrefix(LayeredModel model, int endGroup, LabeledDataset data, Device device, IReadOnlyList<int[]> batches,
        Func<long, long> reserve, bool keptAcrossRounds, CarriedPrefix? carried)
    {
        this.keptAcrossRounds = keptAcrossRounds;
        this.model = model;
        this.endGroup = endGroup;
        this.data = data;
        this.device = device;
        // an empty prefix outputs its input, which is in memory already
        this.reserve = endGroup == 0 ? _ => 0 : reserve;
        this.carried = carried;
        var visits = new Dictionary<int, int>();
        var firstVisits = new List<int>();
        foreach (var sample in batches.SelectMany(b => b))
            if (visits.TryAdd(sample, 1)) firstVisits.Add(sample);
            else visits[sample]++;
        DistinctSamples = firstVisits.Count;
        candidates = firstVisits.Where(s => visits[s] > 1).ToList();
        if (keptAcrossRounds)
            candidates.AddRange([.. firstVisits.Where(s => visits[s] == 1),
                .. (carried?.Boundary == endGroup ? carried.Samples.Keys.Where(s => !visits.ContainsKey(s)) : [])]);
    }

    /// <summary>How many different samples the training visits.</summary>
    public int DistinctSamples { get; }

    /// <summary>How many sample outputs were computed from the input (a sample recomputed at two visits counts twice).</summary>
    public int ComputedSamples { get; private set; }

    /// <summary>How many samples have a place in the cache (known after the first batch).</summary>
    public int CachedSamples => slots?.Count ?? 0;

    /// <summary>The prefix output of <paramref name="batch"/>, rows in batch order, owned by the caller's dispose scope.</summary>
    public GroupActivation Output(int[] batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        if (batch.Length == 1)
        {
            // a batch of one runs other kernels than its sample gets among others (see RunRows): computed as recomputing it
            // would, never served from or kept for a batch of several
            ComputedSamples++;
            var lone = model.Run(new GroupActivation(data.InputsAt(batch, device)), 0, endGroup);
            scope.MoveToOuter(lone.Tensors);
            return lone;
        }
        var positions = new List<int>[3]; // kept in this training, carried from an earlier round, computed from the input
        for (int p = 0; p < positions.Length; p++) positions[p] = [];
        for (int position = 0; position < batch.Length; position++)
            positions[IsFilled(batch[position]) ? 0 : carried?.Samples.ContainsKey(batch[position]) == true ? 1 : 2].Add(position);
        int[] SamplesAt(List<int> at) => [.. at.Select(p => batch[p])];
        var parts = new List<(List<int> Positions, GroupActivation Rows)>();
        if (positions[1].Count > 0) parts.Add((positions[1], FromCarried(SamplesAt(positions[1]))));
        if (positions[2].Count > 0) parts.Add((positions[2], Compute(SamplesAt(positions[2]))));
        if (slots is null && parts.Count > 0) Allocate(parts[0].Rows);
        foreach (var (at, rows) in parts) Keep(SamplesAt(at), rows);
        if (positions[0].Count > 0) parts.Add((positions[0], Kept(SamplesAt(positions[0]))));
        var output = parts.Count == 1 ? parts[0].Rows : Interleave(parts, batch.Length);
        scope.MoveToOuter(output.Tensors);
        return output;
    }

    private bool IsFilled(int sample) => slots is not null && slots.TryGetValue(sample, out int slot) && filled[slot];

    private GroupActivation Compute(int[] samples)
    {
        ComputedSamples += samples.Length;
        return RunRows(new GroupActivation(data.InputsAt(samples, device)), 0);
    }

    /// <summary>
    /// Runs groups [<paramref name="from"/>, end of this prefix) on some rows of a batch of several. A lone row runs beside a copy
    /// of itself: a batch of one takes other kernels (oneDNN's convolutions on ResNet18 end in other last bits, tested), and
    /// each row's output must be bitwise what it gets among the other rows of its batch, as when the batch is recomputed.
    /// </summary>
    private GroupActivation RunRows(GroupActivation rows, int from)
    {
        if (rows.Hidden.shape[0] != 1) return model.Run(rows, from, endGroup);
        using var twice = Indices([0, 0]);
        using var first = Indices([0]);
        return model.Run(rows.Rows(twice), from, endGroup).Rows(first);
    }

    /// <summary>The carried rows of <paramref name="samples"/>, run on to the end of this prefix when theirs ends lower.</summary>
    private GroupActivation FromCarried(int[] samples)
    {
        using var rows = Indices(samples.Select(s => carried!.Samples[s]));
        var start = carried!.Rows.Rows(rows);
        return carried.Boundary == endGroup ? start : RunRows(start, carried.Boundary);
    }

    private GroupActivation Kept(int[] samples)
    {
        using var rows = Indices(samples.Select(s => slots![s]));
        return storage!.Rows(rows);
    }

    /// <summary>Copies the rows of samples that have a place and no value yet.</summary>
    private void Keep(int[] samples, GroupActivation rows)
    {
        var toKeep = Enumerable.Range(0, samples.Length).Where(i => slots!.ContainsKey(samples[i]) && !filled[slots[samples[i]]]).ToList();
        if (toKeep.Count == 0) return;
        using var source = Indices(toKeep);
        using var target = Indices(toKeep.Select(i => slots![samples[i]]));
        foreach (var (kept, fresh) in storage!.Tensors.Zip(rows.Tensors))
            kept.index_copy_(0, target, fresh.index_select(0, source));
        foreach (int i in toKeep) filled[slots![samples[i]]] = true;
    }

    /// <summary>Makes the places, as many as the reservation grants, and fills those of a carried entry that ends here
    /// (which is then no longer needed).</summary>
    private void Allocate(GroupActivation example)
    {
        long bytesPerSample = example.Tensors.Sum(t => t.numel() / t.shape[0] * t.ElementSize);
        long granted = reserve(candidates.Count * bytesPerSample);
        int rows = (int)Math.Min(candidates.Count, granted / Math.Max(1, bytesPerSample));
        slots = candidates.Take(rows).Select((sample, slot) => (sample, slot)).ToDictionary(e => e.sample, e => e.slot);
        filled = new bool[rows];
        if (rows > 0)
        {
            Tensor Place(Tensor t) => empty([rows, .. t.shape[1..]], t.dtype, t.device).DetachFromDisposeScope();
            storage = new GroupActivation(Place(example.Hidden), example.AttentionMask is { } mask ? Place(mask) : null);
        }
        if (carried?.Boundary != endGroup) return;
        var moved = carried.Samples.Keys.Where(slots.ContainsKey).ToArray();
        if (moved.Length > 0)
        {
            using var _ = NewDisposeScope();
            using var source = Indices(moved.Select(s => carried.Samples[s]));
            Keep(moved, carried.Rows.Rows(source));
        }
        carried.Dispose();
        carried = null;
    }

    /// <summary>One activation in batch order from parts that hold the rows at their positions.</summary>
    private GroupActivation Interleave(List<(List<int> Positions, GroupActivation Rows)> parts, int rows)
    {
        var first = parts[0].Rows;
        Tensor Merge(Func<GroupActivation, Tensor> of)
        {
            var merged = empty([rows, .. of(first).shape[1..]], of(first).dtype, of(first).device);
            foreach (var (at, part) in parts) merged.index_copy_(0, Indices(at), of(part));
            return merged;
        }
        return new GroupActivation(Merge(a => a.Hidden), first.AttentionMask is null ? null : Merge(a => a.AttentionMask!));
    }

    private Tensor Indices(IEnumerable<int> values) => tensor(values.Select(v => (long)v).ToArray(), device: device);

    /// <summary>Hands the kept outputs over as the client's entry for later rounds, with the digests of this prefix's
    /// groups; null when none was kept. The prefix keeps nothing afterwards.</summary>
    public CarriedPrefix? Release(GroupDigests digests)
    {
        if (storage is null || slots is null) return null;
        var held = slots.Where(s => filled[s.Value]).OrderBy(s => s.Value).ToList();
        GroupActivation rows = storage;
        if (held.Count < slots.Count)
        {
            using var kept = Indices(held.Select(s => s.Value));
            rows = storage.Rows(kept);
            foreach (var t in rows.Tensors) t.DetachFromDisposeScope();
            DisposeStorage();
        }
        storage = null;
        return new CarriedPrefix(endGroup, digests.Below(endGroup), held.Select((s, row) => (s.Key, row)).ToDictionary(e => e.Key, e => e.row), rows);
    }

    private void DisposeStorage()
    {
        foreach (var t in storage?.Tensors ?? []) t.Dispose();
        storage = null;
    }

    /// <summary>Frees the kept outputs and a carried entry not released.</summary>
    public void Dispose()
    {
        DisposeStorage();
        carried?.Dispose();
        carried = null;
    }
}
