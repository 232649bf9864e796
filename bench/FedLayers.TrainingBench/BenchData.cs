using FedLayers.Data;
using static TorchSharp.torch;

namespace FedLayers.TrainingBench;

/// <summary>Seeded random inputs of the shapes the benchmarked models read; their content does not change the work.</summary>
public static class BenchData
{
    private static readonly string[] TwoClasses = ["a", "b"];

    /// <summary>Texts of <paramref name="tokens"/> WordPiece ids without padding: [CLS] ... [SEP].</summary>
    public static LabeledDataset Tokens(int count, int tokens, int vocabSize)
    {
        var generator = new Generator().manual_seed(3);
        var ids = randint(1000, vocabSize, [count, tokens], dtype: int64, generator: generator);
        ids[TensorIndex.Colon, 0] = tensor(101L); // [CLS]
        ids[TensorIndex.Colon, tokens - 1] = tensor(102L); // [SEP]
        return new LabeledDataset(ids, Labels(count), TwoClasses);
    }

    /// <summary>Standardised images of <paramref name="channels"/> x <paramref name="size"/> x <paramref name="size"/>
    /// in <paramref name="classes"/> classes.</summary>
    public static LabeledDataset Images(int count, int size = 28, int channels = 1, int classes = 2)
    {
        var generator = new Generator().manual_seed(3);
        var half = Enumerable.Repeat(0.5f, channels).ToArray();
        var names = classes == 2 ? TwoClasses : Enumerable.Range(0, classes).Select(c => $"class {c}").ToArray();
        return new LabeledDataset(randn([count, channels, size, size], generator: generator), Labels(count, classes), names, new PixelNormalization(half, half));
    }

    private static long[] Labels(int count, int classes = 2) => Enumerable.Range(0, count).Select(i => (long)(i % classes)).ToArray();
}
