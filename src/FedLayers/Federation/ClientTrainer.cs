using FedLayers.Data;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// Local training of one client on the one shared module: load the global weights, freeze
/// everything outside the assigned groups, run the configured optimiser on the configured loss
/// (<see cref="LocalTrainingOptions"/>), and return the deltas of the
/// trained groups only. The groups below the lowest trained group run without autograd, and
/// their outputs are reused when a sample comes back (<see cref="FrozenPrefix"/>): within the training, and with a
/// <see cref="CrossRoundPrefixCache"/> in the client's later rounds.
/// </summary>
/// <param name="model">the one module every simulated client trains on; its weights are overwritten by every call.</param>
/// <param name="device">where the batches are put; the model's device.</param>
public sealed class ClientTrainer(LayeredModel model, Device device)
{
    /// <summary>The layer groups of the module it trains on.</summary>
    internal IReadOnlyList<LayerGroup> Groups => model.Groups;

    /// <summary>
    /// Trains <paramref name="trainedGroups"/> of the model, starting from <paramref name="global"/>, on the
    /// batches <see cref="BatchOrder.Batches"/> draws from <paramref name="samples"/>.
    /// </summary>
    /// <param name="clientId">the client the update is from.</param>
    /// <param name="global">the round's global weights; loaded into the model, not changed.</param>
    /// <param name="data">the training set <paramref name="samples"/> index into.</param>
    /// <param name="samples">this client's sample indices.</param>
    /// <param name="trainedGroups">names of the groups to train; at least one.</param>
    /// <param name="options">batch size, epochs or steps, optimiser, loss and learning rate of this round.</param>
    /// <param name="batchRandom">the client's stream for this round (<see cref="BatchOrder.TrainingStream"/>); also seeds dropout.</param>
    /// <param name="carryover">where the client's frozen-prefix outputs are kept from one round to the next; null: they
    /// live for this training only.</param>
    /// <returns>The deltas of the trained groups; the caller disposes the update.</returns>
    /// <exception cref="ArgumentException">no group of the model is in <paramref name="trainedGroups"/>.</exception>
    public ClientUpdate Train(int clientId, ModelState global, LabeledDataset data, IReadOnlyList<int> samples,
        IReadOnlyList<string> trainedGroups, LocalTrainingOptions options, Random batchRandom, CrossRoundPrefixCache? carryover = null) =>
        Train(clientId, global, data, samples, trainedGroups, options, batchRandom, carryover,
            carryover is null ? null : new GroupDigests(global, model.Groups));

    /// <summary><see cref="Train(int, ModelState, LabeledDataset, IReadOnlyList{int}, IReadOnlyList{string}, LocalTrainingOptions, Random, CrossRoundPrefixCache?)"/>
    /// with the digests of <paramref name="global"/>'s groups made by the caller, which may share them between the clients of a
    /// round: hashing the frozen weights is a sizeable part of a top-1 fit.</summary>
    internal ClientUpdate Train(int clientId, ModelState global, LabeledDataset data, IReadOnlyList<int> samples,
        IReadOnlyList<string> trainedGroups, LocalTrainingOptions options, Random batchRandom, CrossRoundPrefixCache? carryover,
        GroupDigests? digests)
    {
        global.LoadInto(model);
        var parameters = TrainableGroups.Apply(model, trainedGroups);
        model.TrainOnly(trainedGroups);
        // the groups below the lowest trained one run once per sample without autograd (all of them, for a model that runs only whole)
        int prefixEnd = model.StageBoundary(model.Groups.FirstOrDefault(g => trainedGroups.Contains(g.Name))?.Index
                            ?? throw new ArgumentException("a client must train at least one layer group", nameof(trainedGroups)));
        var batches = BatchOrder.Batches(samples, options.BatchSize, options.Epochs, options.Steps, batchRandom).ToList();
        // dropout draws from torch's global generator: seeding it from this client's own stream makes
        // every fit replayable on its own, in another process (deployment) or after a resume
        torch.manual_seed(batchRandom.NextInt64());
        using var prefix = carryover is null
            ? new FrozenPrefix(model, prefixEnd, data, device, batches, options.PrefixCacheBytes ?? LocalTrainingOptions.DefaultPrefixCacheBytes)
            : new FrozenPrefix(model, prefixEnd, data, device, batches, carryover.Reserve, keptAcrossRounds: true,
                carryover.Take(clientId, prefixEnd, digests!));
        CarriedPrefix? kept = null;
        double lossSum = 0;
        long seen = 0;
        try
        {
            using var optimizer = options.Optimizer.Create(parameters, options.LearningRate);
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var logits = model.Run(prefix.Output(batch), prefixEnd, model.Groups.Count).Hidden;
                var loss = options.Loss.Compute(logits, data.LabelsAt(batch, device));
                loss.backward();
                optimizer.step();
                lossSum += loss.item<float>() * batch.Length;
                seen += batch.Length;
            }
            if (carryover is not null) kept = prefix.Release(digests!);
        }
        finally
        {
            // also after a failure: the reservation ends, and the client starts afresh next time
            carryover?.Put(clientId, kept);
        }
        double flops = TrainingFlops.Of(model.Groups, trainedGroups.ToHashSet(), prefixEnd, seen, prefix.DistinctSamples);
        return new ClientUpdate(clientId, samples.Count, trainedGroups, Deltas(global, trainedGroups), seen == 0 ? double.NaN : lossSum / seen, flops);
    }

    private Dictionary<string, Tensor> Deltas(ModelState global, IReadOnlyList<string> trainedGroups)
    {
        using var _ = no_grad();
        var current = model.state_dict();
        return model.Groups.Where(g => trainedGroups.Contains(g.Name))
            .SelectMany(g => g.TensorNames)
            .ToDictionary(name => name, name => (current[name] - global[name]).detach());
    }
}
