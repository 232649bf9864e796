using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>
/// CIFAR-10 from the official binary batches in a folder the user gives: data_batch_1.bin ..
/// data_batch_5.bin (training) and test_batch.bin. Each record is 3073 bytes: a label 0..9, then
/// 1024 red, 1024 green and 1024 blue bytes of a 32x32 image. Pixels are standardised per channel
/// with the training set's usual mean and deviation.
/// </summary>
public static class Cifar10
{
    /// <summary>The ten class names, in label order.</summary>
    public static readonly IReadOnlyList<string> ClassNames =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Bytes per record in a batch file: one label byte and 3 x 32 x 32 pixel bytes.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>The training batch files, in the order their records are read.</summary>
    public static readonly string[] TrainFiles = [.. Enumerable.Range(1, 5).Select(b => $"data_batch_{b}.bin")];

    /// <summary>The test batch file.</summary>
    public const string TestFile = "test_batch.bin";

    private static readonly float[] Mean = [0.4914f, 0.4822f, 0.4465f];
    private static readonly float[] Std = [0.2470f, 0.2435f, 0.2616f];

    /// <summary>Loads both splits from <paramref name="directory"/>; inputs are float32 [N, 3, 32, 32], standardised per channel.</summary>
    /// <exception cref="UserInputException">The folder or a batch file is missing, truncated, or has a label outside 0..9.</exception>
    public static (LabeledDataset Train, LabeledDataset Test) Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new UserInputException($"{directory}: CIFAR-10 folder not found (expected {string.Join(", ", TrainFiles)} and {TestFile} from the binary version)");
        return (LoadFiles(TrainFiles.Select(f => Path.Combine(directory, f)).ToList()), LoadFiles([Path.Combine(directory, TestFile)]));
    }

    private static LabeledDataset LoadFiles(IReadOnlyList<string> paths)
    {
        var records = paths.Select(ReadRecords).ToList();
        int count = records.Sum(r => r.Length / RecordSize);
        var labels = new long[count];
        var inputs = empty([count, 3, 32, 32], ScalarType.Float32);
        var values = MemoryMarshal.Cast<byte, float>(inputs.bytes);
        int sample = 0;
        for (int f = 0; f < records.Count; f++)
            for (int offset = 0; offset < records[f].Length; offset += RecordSize, sample++)
            {
                byte label = records[f][offset];
                if (label >= ClassNames.Count)
                    throw new UserInputException($"{paths[f]}: record {offset / RecordSize} has label {label}; expected 0..{ClassNames.Count - 1}");
                labels[sample] = label;
                var pixels = records[f].AsSpan(offset + 1, RecordSize - 1);
                var target = values.Slice(sample * (RecordSize - 1), RecordSize - 1);
                for (int k = 0; k < pixels.Length; k++)
                {
                    int channel = k / 1024;
                    target[k] = (pixels[k] / 255f - Mean[channel]) / Std[channel];
                }
            }
        return new LabeledDataset(inputs, labels, ClassNames, new PixelNormalization(Mean, Std));
    }

    private static byte[] ReadRecords(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"{path}: file not found (one of the CIFAR-10 binary batches)");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
            throw new UserInputException($"{path}: {bytes.Length} bytes is not a whole number of {RecordSize}-byte CIFAR-10 records (truncated or not the binary version)");
        return bytes;
    }
}
