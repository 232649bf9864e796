using FedLayers.Aggregation;
using FedLayers.Models;
using FedLayers.Validation;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// Layer-by-layer aggregation (PAPER.md, step 5), with bounded client influence: each client's update is
/// first clipped to the clip norm (all its layers jointly), then for each group the clients that trained it
/// get their shares (<see cref="ClientWeighting"/>) and the <see cref="ILayerAggregator"/> combines their
/// changes, which are added to the global weights; a group nobody trained is left unchanged. Sums run in
/// float64 and are cast back to each tensor's type. <see cref="FedAvg"/> is the paper's rule.
/// </summary>
/// <param name="weighting">how much each client counts in a weighted rule.</param>
/// <param name="combiner">how one tensor's changes are combined.</param>
/// <param name="clipNorm">the largest L2 norm a client's whole update may have; null: no clipping.</param>
/// <param name="privacy">client-level differential privacy: the parameters of every group it lists become noisy sums (each client
/// counting once) instead of the combiner's result, and their buffers are not released; needs the noise's clip norm. Null: no noise.</param>
public sealed class LayerwiseAggregator(ClientWeighting weighting, ILayerAggregator combiner, double? clipNorm = null, PrivateAggregation? privacy = null)
{
    /// <summary>The sample-weighted mean without clipping or a cap: the paper's aggregation.</summary>
    public static LayerwiseAggregator FedAvg { get; } = new(new ClientWeighting(), new MeanAggregator());

    /// <summary>The largest L2 norm a client's whole update may have; null: no clipping.</summary>
    public double? ClipNorm { get; } = clipNorm is { } norm ? FieldCheck.AboveZero(norm, nameof(clipNorm)) : null;

    /// <summary>How one tensor's changes are combined.</summary>
    public ILayerAggregator Combiner { get; } = combiner;

    /// <summary>Client-level differential privacy; null: none.</summary>
    public PrivateAggregation? Privacy { get; } = privacy is null || privacy.Noise.ClipNorm == clipNorm
        ? privacy
        : throw new ArgumentException($"differential privacy needs every update clipped to the noise's clip norm {privacy.Noise.ClipNorm}", nameof(clipNorm));

    /// <summary>Clips <paramref name="updates"/> in place, then adds their aggregated changes to <paramref name="global"/>, in place.</summary>
    /// <param name="global">the global weights, changed in place.</param>
    /// <param name="groups">the model's groups; a tensor outside them is never changed.</param>
    /// <param name="updates">the round's client updates; their deltas may be scaled in place, and they are not disposed here.</param>
    /// <param name="round">the round, which seeds the noise of <see cref="Privacy"/>.</param>
    /// <returns>what each client counted for, and how many clients stood behind the least-trained layer.</returns>
    /// <exception cref="InvalidOperationException">under <see cref="Privacy"/>, a client trained a group it does not list.</exception>
    public AggregationOutcome Apply(ModelState global, IReadOnlyList<LayerGroup> groups, IReadOnlyList<ClientUpdate> updates, int round = 0)
    {
        using var _ = no_grad();
        var clipScales = updates.Select(u => ClipNorm is { } norm ? UpdateClipping.ClipInPlace([.. u.Deltas.Values], norm) : 1.0).ToArray();
        var largestShare = new double[updates.Count];
        int? fewest = null;
        foreach (var group in groups)
        {
            var positions = Enumerable.Range(0, updates.Count).Where(i => updates[i].TrainedGroups.Contains(group.Name)).ToList();
            if (Privacy is { } dp && dp.Denominators.TryGetValue(group.Name, out double denominator))
            {
                ReleasePrivately(global, group, [.. positions.Select(i => updates[i])], dp.Noise, denominator, round);
                if (positions.Count > 0) fewest = Math.Min(fewest ?? int.MaxValue, positions.Count);
                // every client's change enters the noisy sum whole, over the denominator
                foreach (int i in positions) largestShare[i] = Math.Max(largestShare[i], 1 / denominator);
                continue;
            }
            if (Privacy is not null && positions.Count > 0)
                throw new InvalidOperationException($"a client trained group '{group.Name}', which the private aggregation does not expect anyone to train");
            if (positions.Count == 0) continue;
            var contributors = positions.Select(i => updates[i]).ToList();
            fewest = Math.Min(fewest ?? int.MaxValue, contributors.Count);
            var shares = weighting.Shares([.. contributors.Select(u => u.SampleCount)]);
            for (int i = 0; i < positions.Count; i++) largestShare[positions[i]] = Math.Max(largestShare[positions[i]], shares[i]);
            foreach (var name in group.TensorNames)
            {
                using var scope = NewDisposeScope();
                var target = global[name];
                var combined = Combiner.Combine([.. contributors.Select(u => u.Deltas[name])], shares);
                global.Add(name, target.is_floating_point() ? combined.to_type(target.dtype) : combined.round().to_type(target.dtype));
            }
        }
        return new AggregationOutcome(largestShare, clipScales, fewest, fewest is { } k ? Combiner.ToleratedBadClients(k) : null);
    }

    /// <summary>The noisy sum for the parameters of <paramref name="group"/>. Its buffers (batch-norm statistics) are not released
    /// under privacy and keep their values: noise would make a variance negative, and without noise they would leak.</summary>
    private static void ReleasePrivately(ModelState global, LayerGroup group, IReadOnlyList<ClientUpdate> contributors, DpNoise noise,
        double denominator, int round)
    {
        foreach (var name in group.ParameterNames)
        {
            using var scope = NewDisposeScope();
            var target = global[name];
            List<Tensor> deltas = [.. contributors.Select(u => u.Deltas[name].to_type(ScalarType.Float64))];
            global.Add(name, noise.Release(target, deltas, denominator, name, round).to_type(target.dtype));
        }
    }
}

/// <summary>What the clients of a round counted for.</summary>
/// <param name="LargestShares">per update, in the order given, the client's largest share of any layer it trained (under privacy:
/// the largest 1 / denominator of its layers' noisy sums).</param>
/// <param name="ClipScales">per update, in the order given, the factor it was scaled by (1: not clipped).</param>
/// <param name="FewestLayerClients">the smallest number of clients behind any trained layer; null when nothing was trained.</param>
/// <param name="ToleratedBadClients">how many bad clients the rule tolerates on that layer; null when nothing was trained.</param>
public sealed record AggregationOutcome(IReadOnlyList<double> LargestShares, IReadOnlyList<double> ClipScales,
    int? FewestLayerClients, int? ToleratedBadClients);
