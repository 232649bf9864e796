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
/// budget; the others are recomputed at every visit. Nothing outlives one client's training: the
/// next round starts from new global weights.
/// </summary>
internal sealed class FrozenPrefix : IDisposable
{
    private readonly LayeredModel model;
    private readonly int endGroup;
    private readonly LabeledDataset data;
    private readonly Device device;
    private readonly long capacityBytes;
    /// <summary>The samples visited more than once, in the order of their first visit: the candidates for a place.</summary>
    private readonly List<int> revisited;
    private Dictionary<int, int>? slots;
    private bool[] filled = [];
    private GroupActivation? storage;

    /// <param name="model">the module being trained; its prefix groups must be frozen and in eval mode.</param>
    /// <param name="endGroup">the lowest trained group: the prefix is groups [0, endGroup).</param>
    /// <param name="data">the training set the batches index into.</param>
    /// <param name="device">where the inputs and the kept outputs live.</param>
    /// <param name="batches">every batch of the local training, in order (the plan decides which samples come back).</param>
    /// <param name="capacityBytes">the most the kept outputs may take; 0 keeps none.</param>
    public FrozenPrefix(LayeredModel model, int endGroup, LabeledDataset data, Device device, IReadOnlyList<int[]> batches, long capacityBytes)
    {
        this.model = model;
        this.endGroup = endGroup;
        this.data = data;
        this.device = device;
        // an empty prefix outputs its input, which is in memory already
        this.capacityBytes = endGroup == 0 ? 0 : capacityBytes;
        var visits = new Dictionary<int, int>();
        var firstVisits = new List<int>();
        foreach (var sample in batches.SelectMany(b => b))
            if (visits.TryAdd(sample, 1)) firstVisits.Add(sample);
            else visits[sample]++;
        revisited = firstVisits.Where(s => visits[s] > 1).ToList();
    }

    /// <summary>How many sample outputs were computed (a sample recomputed at two visits counts twice).</summary>
    public int ComputedSamples { get; private set; }

    /// <summary>How many samples have a place in the cache (known after the first batch).</summary>
    public int CachedSamples => slots?.Count ?? 0;

    /// <summary>The prefix output of <paramref name="batch"/>, rows in batch order, owned by the caller's dispose scope.</summary>
    public GroupActivation Output(int[] batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var cached = new List<int>();
        var missing = new List<int>();
        for (int position = 0; position < batch.Length; position++)
            (IsFilled(batch[position]) ? cached : missing).Add(position);
        GroupActivation output;
        if (missing.Count == 0)
            output = Kept(batch);
        else
        {
            var missingSamples = missing.Select(p => batch[p]).ToArray();
            var computed = Compute(missingSamples);
            Keep(missingSamples, computed);
            output = cached.Count == 0 ? computed : Interleave(Kept(cached.Select(p => batch[p]).ToArray()), cached, computed, missing);
        }
        scope.MoveToOuter(output.Tensors);
        return output;
    }

    private bool IsFilled(int sample) => slots is not null && slots.TryGetValue(sample, out int slot) && filled[slot];

    private GroupActivation Compute(int[] samples)
    {
        ComputedSamples += samples.Length;
        return model.Run(new GroupActivation(data.InputsAt(samples, device)), 0, endGroup);
    }

    private GroupActivation Kept(int[] samples)
    {
        using var rows = Indices(samples.Select(s => slots![s]));
        return storage!.Rows(rows);
    }

    /// <summary>Copies the rows of samples that have a place and no value yet; makes the places on the first call.</summary>
    private void Keep(int[] samples, GroupActivation computed)
    {
        if (slots is null) Allocate(computed);
        var toKeep = Enumerable.Range(0, samples.Length).Where(i => slots!.ContainsKey(samples[i]) && !filled[slots[samples[i]]]).ToList();
        if (toKeep.Count == 0) return;
        using var source = Indices(toKeep);
        using var target = Indices(toKeep.Select(i => slots![samples[i]]));
        foreach (var (kept, fresh) in storage!.Tensors.Zip(computed.Tensors))
            kept.index_copy_(0, target, fresh.index_select(0, source));
        foreach (int i in toKeep) filled[slots![samples[i]]] = true;
    }

    private void Allocate(GroupActivation example)
    {
        long bytesPerSample = example.Tensors.Sum(t => t.numel() / t.shape[0] * t.ElementSize);
        int rows = (int)Math.Min(revisited.Count, capacityBytes / Math.Max(1, bytesPerSample));
        slots = revisited.Take(rows).Select((sample, slot) => (sample, slot)).ToDictionary(e => e.sample, e => e.slot);
        filled = new bool[rows];
        if (rows == 0) return;
        Tensor Place(Tensor t) => empty([rows, .. t.shape[1..]], t.dtype, t.device).DetachFromDisposeScope();
        storage = new GroupActivation(Place(example.Hidden), example.AttentionMask is { } mask ? Place(mask) : null);
    }

    /// <summary>One activation in batch order from kept rows at <paramref name="keptPositions"/> and fresh rows at <paramref name="freshPositions"/>.</summary>
    private GroupActivation Interleave(GroupActivation kept, List<int> keptPositions, GroupActivation fresh, List<int> freshPositions)
    {
        var keptAt = Indices(keptPositions);
        var freshAt = Indices(freshPositions);
        int rows = keptPositions.Count + freshPositions.Count;
        var merged = kept.Tensors.Zip(fresh.Tensors, (k, f) =>
            empty([rows, .. k.shape[1..]], k.dtype, k.device).index_copy_(0, keptAt, k).index_copy_(0, freshAt, f)).ToList();
        return new GroupActivation(merged[0], merged.Count > 1 ? merged[1] : null);
    }

    private Tensor Indices(IEnumerable<int> values) => tensor(values.Select(v => (long)v).ToArray(), device: device);

    /// <summary>Frees the kept outputs.</summary>
    public void Dispose()
    {
        if (storage is null) return;
        foreach (var t in storage.Tensors) t.Dispose();
        storage = null;
    }
}
