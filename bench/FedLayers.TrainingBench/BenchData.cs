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

    /// <summary>Standardised single-channel images of <paramref name="size"/> x <paramref name="size"/>.</summary>
    public static LabeledDataset Images(int count, int size = 28)
    {
        var generator = new Generator().manual_seed(3);
        return new LabeledDataset(randn([count, 1, size, size], generator: generator), Labels(count), TwoClasses, new PixelNormalization([0.5f], [0.5f]));
    }

    private static long[] Labels(int count) => Enumerable.Range(0, count).Select(i => (long)(i % 2)).ToArray();
}
