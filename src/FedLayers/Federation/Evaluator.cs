using FedLayers.Data;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>Global test accuracy and loss of a model state on the held-out test set.</summary>
public sealed class Evaluator(LayeredModel model, LabeledDataset testSet, Device device, int batchSize = 500)
{
    public (double Accuracy, double Loss) Evaluate(ModelState state)
    {
        state.LoadInto(model);
        model.eval();
        using var _ = inference_mode();
        long correct = 0;
        double lossSum = 0;
        var all = Enumerable.Range(0, testSet.Count).ToArray();
        foreach (var batch in all.Chunk(batchSize))
        {
            using var scope = NewDisposeScope();
            var (inputs, labels) = testSet.Batch(batch, device);
            var logits = model.forward(inputs);
            lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }
        return testSet.Count == 0 ? (double.NaN, double.NaN) : ((double)correct / testSet.Count, lossSum / testSet.Count);
    }
}
