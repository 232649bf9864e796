using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>
/// Fashion-MNIST (Zalando): 28x28 grey-scale pictures of clothing in 10 classes, 60 000 for
/// training and 10 000 for testing, as installed by the Debian package dataset-fashion-mnist.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Mean and standard deviation of the training pixels scaled to [0, 1]; inputs are standardised with them.</summary>
    public const float PixelMean = 0.2860f;

    /// <summary>Standard deviation of the training pixels scaled to [0, 1] (see <see cref="PixelMean"/>).</summary>
    public const float PixelStd = 0.3530f;

    /// <summary>The images' height and width in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The ten class names, in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>
    /// Loads both splits from <paramref name="directory"/>; inputs are float32 [N, 1, 28, 28],
    /// standardised with <see cref="PixelMean"/> and <see cref="PixelStd"/>.
    /// </summary>
    /// <exception cref="UserInputException">A file is missing or corrupt, or images and labels disagree.</exception>
    public static (LabeledDataset Train, LabeledDataset Test) Load(string directory = DefaultDirectory)
    {
        var train = LoadSplit(directory, "train");
        try
        {
            return (train, LoadSplit(directory, "t10k"));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    private static LabeledDataset LoadSplit(string directory, string split)
    {
        string imagesPath = Path.Combine(directory, $"{split}-images-idx3-ubyte.gz");
        string labelsPath = Path.Combine(directory, $"{split}-labels-idx1-ubyte.gz");
        foreach (var path in new[] { imagesPath, labelsPath })
        {
            if (!File.Exists(path))
                throw new UserInputException(
                    $"{path}: Fashion-MNIST file not found; expected {{train,t10k}}-{{images-idx3,labels-idx1}}-ubyte.gz in {directory}. " +
                    "scripts/bootstrap.sh installs them with the Debian package dataset-fashion-mnist.");
        }

        var (pixels, count, rows, cols) = IdxReader.ReadImages(imagesPath);
        var labelBytes = IdxReader.ReadLabels(labelsPath);
        if (rows != ImageSize || cols != ImageSize)
            throw new UserInputException($"{imagesPath}: expected {ImageSize}x{ImageSize} Fashion-MNIST images, found {rows}x{cols}");
        if (labelBytes.Length != count)
            throw new UserInputException(
                $"{labelsPath}: expected {count} labels, one per image in {imagesPath}, found {labelBytes.Length}");

        var labels = new long[count];
        for (int i = 0; i < count; i++)
        {
            if (labelBytes[i] >= ClassNames.Count)
                throw new UserInputException(
                    $"{labelsPath}: expected labels 0..{ClassNames.Count - 1}, found {labelBytes[i]} at position {i}");
            labels[i] = labelBytes[i];
        }

        var inputs = empty([count, 1, rows, cols], ScalarType.Float32);
        Standardise(pixels, MemoryMarshal.Cast<byte, float>(inputs.bytes));
        return new LabeledDataset(inputs, labels, ClassNames, new PixelNormalization([PixelMean], [PixelStd]));
    }

    // Written straight into the tensor's memory: no second 190 MB array and copy. A byte has
    // only 256 values, so a lookup table replaces a divide and a subtract per pixel.
    private static void Standardise(byte[] pixels, Span<float> values)
    {
        var table = new float[256];
        for (int v = 0; v < table.Length; v++)
            table[v] = (v / 255f - PixelMean) / PixelStd;
        for (int i = 0; i < pixels.Length; i++)
            values[i] = table[pixels[i]];
    }
}
