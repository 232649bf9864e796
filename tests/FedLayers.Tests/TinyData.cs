using FedLayers.Data;
using static TorchSharp.torch;

namespace FedLayers.Tests;

/// <summary>Small synthetic image sets that a model can learn: each class brightens its own band of rows.</summary>
internal static class TinyData
{
    public static LabeledDataset Images(int count, int classes = 4, int seed = 1, int size = 28)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, count).Select(_ => (long)random.Next(classes)).ToArray();
        var generator = new Generator().manual_seed(seed);
        var inputs = randn([count, 1, size, size], generator: generator) * 0.5f;
        int band = size / classes;
        for (int i = 0; i < count; i++)
            inputs[i, 0, TensorIndex.Slice(labels[i] * band, (labels[i] + 1) * band)].add_(2f);
        return new LabeledDataset(inputs, labels, Enumerable.Range(0, classes).Select(c => $"class{c}").ToList(), new PixelNormalization([0.5f], [0.5f]));
    }
}
