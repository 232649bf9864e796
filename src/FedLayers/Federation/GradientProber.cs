using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// Measures a client's per-layer gradient statistics at the global weights on its own data,
/// without updating any weight: the sums of squared batch-gradient norms and the squared norm of
/// the batch-averaged gradient, from which <see cref="ProbeEstimator"/> makes g_il. The modules run in
/// the prober's <see cref="ProbeMode"/>; in either, a probe leaves the weights, the normalisation statistics and
/// torch's generator as it found them. Every selectable
/// group needs its gradient, so autograd starts at the lowest selectable group: the groups
/// below it run without a graph. One backward pass per probe batch; over several batches the gradient sums live in
/// buffers that are kept from one probe to the next and freed on dispose (one batch's gradients are their own sum).
/// </summary>
/// <param name="model">the one module every simulated client probes on; its weights are overwritten by every probe.</param>
/// <param name="device">where the batches are put; the model's device.</param>
/// <param name="loss">the training objective whose gradients are probed; null: the cross-entropy.</param>
/// <param name="mode">the modules' modes while probing: eval, those of local training, or auto (the default: training's
/// for a model with batch norm, eval otherwise).</param>
public sealed class GradientProber(LayeredModel model, Device device, TrainingLoss? loss = null, ProbeMode mode = ProbeMode.Auto) : IDisposable
{
    private readonly Dictionary<string, Tensor> gradientSum = [];

    /// <summary>The mode the probes run in: <see cref="ProbeMode.Eval"/> or <see cref="ProbeMode.Train"/>, auto decided by the model.</summary>
    public ProbeMode Mode { get; } = mode != ProbeMode.Auto ? mode : HasBatchNorm(model) ? ProbeMode.Train : ProbeMode.Eval;

    private static bool HasBatchNorm(LayeredModel model) =>
        model.modules().Any(m => m is TorchSharp.Modules.BatchNorm1d or TorchSharp.Modules.BatchNorm2d or TorchSharp.Modules.BatchNorm3d);

    /// <summary>
    /// Loads <paramref name="global"/> and sums the gradients of every selectable group over up to
    /// <paramref name="probeBatches"/> batches of <paramref name="samples"/> (a client with fewer samples starts another shuffled pass, as training does); no weight changes.
    /// </summary>
    /// <param name="global">the round's global weights.</param>
    /// <param name="data">the training set <paramref name="samples"/> index into.</param>
    /// <param name="samples">this client's sample indices.</param>
    /// <param name="probeBatches">the most batches to probe.</param>
    /// <param name="batchSize">samples per batch.</param>
    /// <param name="batchRandom">the client's probe stream for this round (<see cref="BatchOrder.ProbeStream"/>); in train mode also seeds dropout.</param>
    /// <returns>Per selectable group, in group order: summed squared batch-gradient norm, relative gradient norm, signal-to-noise and
    /// the squared norm of the batch-averaged gradient, with the number of batches used.</returns>
    public LayerProbe Probe(ModelState global, LabeledDataset data, IReadOnlyList<int> samples, int probeBatches,
        int batchSize, Random batchRandom)
    {
        global.LoadInto(model);
        var layers = model.SelectableGroups;
        TrainableGroups.Apply(model, layers.Select(g => g.Name).ToList());
        // drawn before dropout's seed, as training draws them, so that both modes probe the same batches
        var batches = BatchOrder.Batches(samples, batchSize, 1, probeBatches, batchRandom).ToList();
        if (Mode == ProbeMode.Eval)
        {
            model.eval();
            return Accumulate(layers, data, batches);
        }
        model.TrainOnly(TrainableGroups.ForMask(model.Groups, [.. layers.Select(_ => true)]));
        using var generator = torch.random.get_rng_state();
        // dropout draws from torch's global generator: seeded from the probe's stream as training seeds it from its own
        torch.manual_seed(batchRandom.NextInt64());
        try
        {
            return Accumulate(layers, data, batches);
        }
        finally
        {
            torch.random.set_rng_state(generator);
            RestoreBuffers(global);
            model.eval();
        }
    }

    /// <summary>One forward and one backward pass per batch in the modules' current modes, summing the gradient statistics.</summary>
    private LayerProbe Accumulate(IReadOnlyList<LayerGroup> layers, LabeledDataset data, List<int[]> batches)
    {
        int lowestSelectable = model.StageBoundary(layers[0].Index);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        // one batch's gradients are their own sum: no buffers as large as the selectable layers beside them
        bool summing = batches.Count > 1;
        if (summing) ResetSums(layers, parameters);
        using var squaredNorm = zeros(layers.Count, float64, device);
        using var scope = NewDisposeScope();
        foreach (var batch in batches)
        {
            using var batchScope = NewDisposeScope();
            // zeroed in place, not freed: a new set of gradients per batch, each as large as the selectable layers, leaves the
            // allocator's heap fragmented (several times the model's size for BERT-base); adding into zeros gives the same values
            model.zero_grad(set_to_none: false);
            GroupActivation prefix;
            using (no_grad()) prefix = model.Run(new GroupActivation(data.InputsAt(batch, device)), 0, lowestSelectable);
            var logits = model.Run(prefix, lowestSelectable, model.Groups.Count).Hidden;
            (loss ?? TrainingLoss.PlainCrossEntropy).Compute(logits, data.LabelsAt(batch, device)).backward();
            using var _ = no_grad();
            for (int l = 0; l < layers.Count; l++)
                foreach (var name in layers[l].ParameterNames)
                {
                    var grad = parameters[name].grad!;
                    // the square is as large as the gradient: freed now, not with the batch's scope, so that the squares of
                    // every selectable tensor are never alive together (the whole selectable model's size again)
                    using (var square = grad.square()) squaredNorm[l].add_(square.sum());
                    if (summing) gradientSum[name].add_(grad);
                }
        }
        var sums = summing ? gradientSum : layers.SelectMany(g => g.ParameterNames).ToDictionary(name => name, name => parameters[name].grad!);
        var probe = Summarise(layers, parameters, sums, squaredNorm.data<double>().ToArray(), batches.Count);
        model.zero_grad();
        return probe;
    }

    /// <summary>Puts back from <paramref name="global"/>, where <see cref="Probe"/> loaded them from, the buffers of the state that a
    /// train-mode forward moves (batch norm's running statistics and batch count); buffers outside the state are constants.</summary>
    private void RestoreBuffers(ModelState global)
    {
        using var _ = no_grad();
        var parameterNames = model.named_parameters().Select(p => p.name).ToHashSet();
        foreach (var (name, tensor) in model.state_dict())
            if (!parameterNames.Contains(name)) tensor.copy_(global[name]);
    }

    /// <summary>Zeroes the kept gradient sums, making them on the first probe.</summary>
    private void ResetSums(IReadOnlyList<LayerGroup> layers, Dictionary<string, TorchSharp.Modules.Parameter> parameters)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope(); // frees the handles zero_() returns
        foreach (var name in layers.SelectMany(g => g.ParameterNames))
            if (gradientSum.TryGetValue(name, out var sum)) sum.zero_();
            else gradientSum[name] = zeros_like(parameters[name]).DetachFromDisposeScope();
    }

    private static LayerProbe Summarise(IReadOnlyList<LayerGroup> layers, Dictionary<string, TorchSharp.Modules.Parameter> parameters,
        Dictionary<string, Tensor> gradientSum, double[] squaredNorm, int batches)
    {
        using var _ = no_grad();
        var relative = new double[layers.Count];
        var snr = new double[layers.Count];
        var meanSquared = new double[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            double gradSq = 0, weightSq = 0;
            foreach (var name in layers[l].ParameterNames)
            {
                // each intermediate (squares, the float64 copy, the weights' squares) is as large as its tensor: freed before the
                // next tensor's, not left to the finaliser, which runs far too rarely to bound the native memory
                using var scope = NewDisposeScope();
                var mean = gradientSum[name] / Math.Max(1, batches);
                // rgn keeps its float sum (its published numbers); g's estimators take the same norm in float64
                gradSq += mean.square().sum().item<float>();
                meanSquared[l] += mean.to_type(float64).square().sum().item<double>();
                weightSq += parameters[name].square().sum().item<float>();
                snr[l] += SignalToNoise(mean);
            }
            relative[l] = weightSq > 0 ? Math.Sqrt(gradSq / weightSq) : 0;
        }
        return new LayerProbe(squaredNorm, relative, snr, batches, meanSquared);
    }

    /// <summary>mean^2 / std over a tensor's elements; 0 where the spread is undefined or zero.</summary>
    private static double SignalToNoise(Tensor gradient)
    {
        if (gradient.numel() < 2) return 0;
        double std = gradient.std().item<float>();
        double mean = gradient.mean().item<float>();
        return std > 0 ? mean * mean / std : 0;
    }

    /// <summary>Frees the kept gradient sums.</summary>
    public void Dispose()
    {
        foreach (var sum in gradientSum.Values) sum.Dispose();
        gradientSum.Clear();
    }
}
