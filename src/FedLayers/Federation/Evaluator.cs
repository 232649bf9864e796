using FedLayers.Data;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// Global test accuracy and loss of a model state on the held-out test set, in inference mode
/// (no graph) and large batches.
/// <para>
/// Rounds change only the groups that some client trained, so the test set's activations below
/// the lowest changed group are kept from one evaluation to the next: the groups below the lowest
/// group that changed since the previous evaluation are the bet, and an evaluation reuses the kept
/// activations only when every weight below them is bitwise what computed them (it compares SHA-256 digests of the groups
/// with those of the last evaluated weights rather than keep a copy of them), which makes the result identical to evaluating
/// from the input.
/// </para>
/// </summary>
/// <param name="model">the module to evaluate on; its weights are overwritten by every evaluation.</param>
/// <param name="testSet">the held-out test set.</param>
/// <param name="device">where the batches are put; the model's device.</param>
/// <param name="batchSize">test samples per forward pass.</param>
/// <param name="cacheBytes">the most the kept activations may take; null: <see cref="LocalTrainingOptions.DefaultPrefixCacheBytes"/>.</param>
public sealed class Evaluator(LayeredModel model, LabeledDataset testSet, Device device, int batchSize = 500, long? cacheBytes = null) : IDisposable
{
    private readonly long capacityBytes = cacheBytes ?? LocalTrainingOptions.DefaultPrefixCacheBytes;
    private byte[][]? lastEvaluated;
    private List<GroupActivation>? kept;
    private int keptBoundary;

    /// <summary>The group the last evaluation started from: 0, or the boundary of the kept activations it reused.</summary>
    public int LastStartGroup { get; private set; }

    /// <summary>Loads <paramref name="state"/> into the model and evaluates it on the whole test set.</summary>
    /// <returns>The fraction of test samples classified correctly (0..1) and the mean cross-entropy; both NaN for an empty test set.</returns>
    public (double Accuracy, double Loss) Evaluate(ModelState state) => Run(Load(state));

    /// <summary>
    /// Loads <paramref name="state"/> into the model now and evaluates it on a thread-pool thread: the caller may change
    /// <paramref name="state"/> as soon as this returns, but must leave the model alone and not evaluate again until the task
    /// completes. The result is bitwise that of <see cref="Evaluate"/>.
    /// </summary>
    /// <returns>The fraction of test samples classified correctly (0..1) and the mean cross-entropy; both NaN for an empty test set.</returns>
    public Task<(double Accuracy, double Loss)> EvaluateInBackground(ModelState state)
    {
        var loaded = Load(state);
        return Task.Run(() => Run(loaded));
    }

    /// <summary>What an evaluation starts from once its weights are in the model: their group digests and the stage boundary
    /// below which the test activations are kept.</summary>
    private readonly record struct LoadedWeights(byte[][] Digests, int Boundary);

    private LoadedWeights Load(ModelState state)
    {
        state.LoadInto(model);
        model.eval();
        using var _ = inference_mode();
        var digests = new GroupDigests(state, model.Groups).Below(model.Groups.Count);
        int boundary = model.StageBoundary(LowestChangedGroup(digests));
        if (keptBoundary > boundary) DisposeKept(); // computed by weights that have changed since
        LastStartGroup = kept is not null ? keptBoundary : 0;
        return new LoadedWeights(digests, boundary);
    }

    /// <summary>The forward passes over the test set from the kept activations (or the input), keeping new ones up to
    /// <see cref="LoadedWeights.Boundary"/> within the budget.</summary>
    private (double Accuracy, double Loss) Run(LoadedWeights loaded)
    {
        using var _ = inference_mode();
        int boundary = loaded.Boundary;
        var batches = Enumerable.Range(0, testSet.Count).Chunk(batchSize).ToList();
        var keep = boundary > LastStartGroup && boundary < model.Groups.Count ? new List<GroupActivation>() : null;
        long keptBytes = 0;
        long correct = 0;
        double lossSum = 0;
        for (int b = 0; b < batches.Count; b++)
        {
            using var scope = NewDisposeScope();
            var input = LastStartGroup == 0 ? new GroupActivation(testSet.InputsAt(batches[b], device)) : kept![b];
            var activation = model.Run(input, LastStartGroup, boundary);
            if (keep is not null && (keptBytes += Bytes(activation)) <= capacityBytes)
            {
                scope.Detach(activation.Tensors);
                keep.Add(activation);
            }
            var logits = model.Run(activation, boundary, model.Groups.Count).Hidden;
            var labels = testSet.LabelsAt(batches[b], device);
            lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }
        if (keep is not null && keptBytes <= capacityBytes)
        {
            Dispose(kept, except: keep);
            (kept, keptBoundary) = (keep, boundary);
        }
        else
            Dispose(keep, except: kept);
        lastEvaluated = loaded.Digests;
        return testSet.Count == 0 ? (double.NaN, double.NaN) : ((double)correct / testSet.Count, lossSum / testSet.Count);
    }

    /// <summary>The lowest group whose weights differ from the last evaluated ones; at the first evaluation,
    /// the lowest group that is not fixed (fixed groups are never trained).</summary>
    private int LowestChangedGroup(byte[][] digests)
    {
        if (lastEvaluated is null)
            return model.Groups.FirstOrDefault(g => g.Role != LayerRole.Fixed)?.Index ?? model.Groups.Count;
        return model.Groups.FirstOrDefault(g => !digests[g.Index].AsSpan().SequenceEqual(lastEvaluated[g.Index]))?.Index ?? model.Groups.Count;
    }

    private static long Bytes(GroupActivation activation) => activation.Tensors.Sum(t => t.numel() * t.ElementSize);

    private void DisposeKept()
    {
        Dispose(kept, except: null);
        (kept, keptBoundary) = (null, 0);
    }

    /// <summary>Disposes the tensors of <paramref name="activations"/> that <paramref name="except"/> does not hold
    /// (a text model's attention mask passes from the old kept activations to the new ones).</summary>
    private static void Dispose(List<GroupActivation>? activations, List<GroupActivation>? except)
    {
        var shared = (except?.SelectMany(a => a.Tensors) ?? []).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var tensor in activations?.SelectMany(a => a.Tensors) ?? [])
            if (!shared.Contains(tensor)) tensor.Dispose();
    }

    /// <summary>Frees the kept activations.</summary>
    public void Dispose() => DisposeKept();
}
