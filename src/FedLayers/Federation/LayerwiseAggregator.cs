using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// Layer-by-layer aggregation (PAPER.md, step 5): for each group, the sample-weighted mean of
/// the deltas of the clients that trained it is added to the global weights; a group nobody
/// trained is left unchanged. Sums run in float64 and are cast back to each tensor's type.
/// </summary>
public static class LayerwiseAggregator
{
    /// <summary>Adds the aggregated deltas of <paramref name="updates"/> to <paramref name="global"/>, in place.</summary>
    /// <param name="global">the global weights, changed in place.</param>
    /// <param name="groups">the model's groups; a tensor outside them is never changed.</param>
    /// <param name="updates">the round's client updates; not disposed here.</param>
    public static void Apply(ModelState global, IReadOnlyList<LayerGroup> groups, IReadOnlyList<ClientUpdate> updates)
    {
        using var _ = no_grad();
        foreach (var group in groups)
        {
            var contributors = updates.Where(u => u.TrainedGroups.Contains(group.Name)).ToList();
            if (contributors.Count == 0) continue;
            double totalSamples = contributors.Sum(u => (double)u.SampleCount);
            foreach (var name in group.TensorNames)
            {
                var target = global[name];
                using var sum = zeros(target.shape, ScalarType.Float64, target.device);
                foreach (var update in contributors)
                    sum.add_(update.Deltas[name].to_type(ScalarType.Float64), alpha: update.SampleCount / totalSamples);
                using var mean = target.is_floating_point() ? sum.to_type(target.dtype) : sum.round().to_type(target.dtype);
                global.Add(name, mean);
            }
        }
    }
}
