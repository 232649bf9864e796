using SkiaSharp;
using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>
/// Images in <c>PATH/&lt;domain&gt;/&lt;class&gt;/*.png|jpg|jpeg</c>, decoded with SkiaSharp and
/// resized (bilinear) to the first image's size, as RGB standardised with mean and std 0.5.
/// Classes are the union of the class folder names (sorted); the domain is the top folder.
/// Every domain keeps a seeded, stratified share of its images as test data. Decoded images are
/// cached on disk (<see cref="TensorCache"/>, "images"), keyed by every file's name and bytes.
/// </summary>
public static class ImageFolder
{
    /// <summary>The share of every (domain, class) group held out as test data.</summary>
    public const double TestShare = 0.2;
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];
    private static readonly float[] Half = [0.5f, 0.5f, 0.5f];

    /// <summary>Loads, decodes (or reads from the cache) and splits the images under <paramref name="root"/>; inputs are float32 [N, 3, height, width] in [-1, 1].</summary>
    /// <param name="root">The folder holding one folder per domain.</param>
    /// <param name="seed">Seeds the test split.</param>
    /// <returns>The splits, with each training sample's domain folder as its domain.</returns>
    /// <exception cref="UserInputException">The folder is missing, a domain has no images, there are fewer than two classes, or an image cannot be decoded.</exception>
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
        using var pixels = DecodedPixels(root, files.Select(f => f.File).ToList(), width, height);
        var labels = files.Select(f => (long)classes.IndexOf(f.Class)).ToArray();
        // [0, 255] to [-1, 1]: standardised with mean and std 0.5
        using var all = new LabeledDataset(pixels.to_type(ScalarType.Float32).div_(127.5).sub_(1), labels, classes, new PixelNormalization(Half, Half));
        var domains = files.Select(f => (string?)f.Domain).ToList();
        var (train, test) = SplitPerDomain(labels, domains, SeededRandom.For(seed, "image-folder-test-split"));
        return new TensorSplits(all.Subset(train), all.Subset(test), train.Select(i => domains[i]).ToList());
    }

    private static (int Width, int Height) Size(string file)
    {
        using var codec = SKCodec.Create(file) ?? throw new UserInputException($"{file}: not a readable PNG or JPEG image");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>
    /// [N, 3, height, width] bytes, from the <see cref="TensorCache"/> when the same files (names
    /// and contents) were decoded at the same size before. Bytes, not floats, keep the cache at a
    /// quarter of the size; an undecodable image stops the load before anything is cached.
    /// </summary>
    private static Tensor DecodedPixels(string root, IReadOnlyList<string> files, int width, int height)
    {
        using var key = new ContentKey().Add($"imagefolder-v1:{width}x{height}:rgb8");
        foreach (var file in files) key.AddFile(Path.GetRelativePath(root, file), file);
        long[] shape = [files.Count, 3, height, width];
        return TensorCache.GetOrCreate("images", key.Finish(), () =>
        {
            // filled image by image: one byte array for all images would stop at 2 GB
            var pixels = empty(shape, ScalarType.Byte);
            var planes = new byte[3 * height * width];
            try
            {
                for (int i = 0; i < files.Count; i++)
                {
                    DecodeInto(files[i], width, height, planes);
                    using var image = tensor(planes, [3, height, width]);
                    pixels[i].copy_(image);
                }
                return pixels;
            }
            catch
            {
                pixels.Dispose();
                throw;
            }
        }, cached => cached.dtype == ScalarType.Byte && cached.shape.SequenceEqual(shape));
    }

    /// <summary>Writes the image as planar RGB bytes [3, height, width] into <paramref name="planes"/>.</summary>
    private static void DecodeInto(string file, int width, int height, Span<byte> planes)
    {
        using var decoded = SKBitmap.Decode(file) ?? throw new UserInputException($"{file}: not a readable PNG or JPEG image");
        // both branches give 8-bit RGBA, so the byte layout below holds
        using var rgba = decoded.Width == width && decoded.Height == height
            ? decoded.Copy(SKColorType.Rgba8888)
            : decoded.Resize(new SKImageInfo(width, height, SKColorType.Rgba8888), new SKSamplingOptions(SKFilterMode.Linear));
        var bytes = rgba.Bytes;
        int area = width * height;
        for (int p = 0; p < area; p++)
            for (int c = 0; c < 3; c++)
                planes[c * area + p] = bytes[4 * p + c];
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
}
