using FedLayers.Data;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// Local training of one client on the one shared module: load the global weights, freeze
/// everything outside the assigned groups, run plain SGD, and return the deltas of the
/// trained groups only.
/// </summary>
public sealed class ClientTrainer(LayeredModel model, Device device)
{
    public ClientUpdate Train(int clientId, ModelState global, LabeledDataset data, IReadOnlyList<int> samples,
        IReadOnlyList<string> trainedGroups, LocalTrainingOptions options, Random batchRandom)
    {
        global.LoadInto(model);
        var parameters = TrainableGroups.Apply(model, trainedGroups);
        model.TrainOnly(trainedGroups);
        using var optimizer = optim.SGD(parameters, options.LearningRate);
        double lossSum = 0;
        long seen = 0;
        foreach (var batch in BatchOrder.Batches(samples, options.BatchSize, options.Epochs, options.Steps, batchRandom))
        {
            using var scope = NewDisposeScope();
            var (inputs, labels) = data.Batch(batch, device);
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(inputs), labels);
            loss.backward();
            optimizer.step();
            lossSum += loss.item<float>() * batch.Length;
            seen += batch.Length;
        }
        return new ClientUpdate(clientId, samples.Count, trainedGroups, Deltas(global, trainedGroups), seen == 0 ? double.NaN : lossSum / seen);
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
