using SkiaSharp;
using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>
/// Images in <c>PATH/&lt;domain&gt;/&lt;class&gt;/*.png|jpg|jpeg</c>, decoded with SkiaSharp and
/// resized (bilinear) to the first image's size, as RGB standardised with mean and std 0.5.
/// Classes are the union of the class folder names (sorted); the domain is the top folder.
/// Every domain keeps a seeded, stratified share of its images as test data.
/// </summary>
public static class ImageFolder
{
    public const double TestShare = 0.2;
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];
    private static readonly float[] Half = [0.5f, 0.5f, 0.5f];

    public static TensorSplits Load(string root, int seed)
    {
        if (!Directory.Exists(root)) throw new UserInputException($"{root}: image folder not found (expected PATH/<domain>/<class>/*.png|jpg|jpeg)");
        var files = Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .SelectMany(domain => Directory.GetDirectories(domain).Order(StringComparer.Ordinal)
                .SelectMany(cls => Directory.GetFiles(cls).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal)
                    .Select(file => (File: file, Domain: Path.GetFileName(domain), Class: Path.GetFileName(cls)))))
            .ToList();
        if (files.Count == 0) throw new UserInputException($"{root}: no images found (expected PATH/<domain>/<class>/*.png|jpg|jpeg)");
        foreach (var domain in Directory.GetDirectories(root))
            if (!files.Any(f => f.Domain == Path.GetFileName(domain)))
                throw new UserInputException($"{domain}: a domain folder without images (expected <class>/*.png|jpg|jpeg inside)");
        var classes = files.Select(f => f.Class).Distinct().Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2) throw new UserInputException($"{root}: only the class '{classes[0]}'; expected at least two class folders");

        var (width, height) = Size(files[0].File);
        var inputs = empty([files.Count, 3, height, width], ScalarType.Float32);
        for (int i = 0; i < files.Count; i++)
        {
            using var image = Decode(files[i].File, width, height);
            inputs[i].copy_(image);
        }
        var labels = files.Select(f => (long)classes.IndexOf(f.Class)).ToArray();
        var domains = files.Select(f => (string?)f.Domain).ToList();
        var (train, test) = SplitPerDomain(labels, domains, SeededRandom.For(seed, "image-folder-test-split"));
        using (inputs)
            return new TensorSplits(Subset(inputs, labels, classes, train), Subset(inputs, labels, classes, test),
                train.Select(i => domains[i]).ToList());
    }

    private static (int Width, int Height) Size(string file)
    {
        using var codec = SKCodec.Create(file) ?? throw new UserInputException($"{file}: not a readable PNG or JPEG image");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>[3, height, width] in [-1, 1].</summary>
    private static Tensor Decode(string file, int width, int height)
    {
        using var decoded = SKBitmap.Decode(file) ?? throw new UserInputException($"{file}: not a readable PNG or JPEG image");
        // both branches give 8-bit RGBA, so the byte layout below holds
        using var rgba = decoded.Width == width && decoded.Height == height
            ? decoded.Copy(SKColorType.Rgba8888)
            : decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888), new SKSamplingOptions(SKFilterMode.Linear));
        var bytes = rgba.Bytes;
        var values = new float[3 * width * height];
        for (int p = 0; p < width * height; p++)
            for (int c = 0; c < 3; c++)
                values[c * width * height + p] = (bytes[4 * p + c] / 255f - 0.5f) / 0.5f;
        return tensor(values, [3, height, width]);
    }

    private static (int[] Train, int[] Test) SplitPerDomain(long[] labels, IReadOnlyList<string?> domains, Random random)
    {
        var train = new List<int>();
        var test = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => (domains[i], labels[i])).OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            int testCount = (int)Math.Round(members.Length * TestShare);
            test.AddRange(members[..testCount]);
            train.AddRange(members[testCount..]);
        }
        return ([.. train.Order()], [.. test.Order()]);
    }

    private static LabeledDataset Subset(Tensor inputs, long[] labels, IReadOnlyList<string> classes, int[] indices)
    {
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        return new LabeledDataset(inputs.index_select(0, index), indices.Select(i => labels[i]).ToArray(), classes, new PixelNormalization(Half, Half));
    }
}
