#:package SkiaSharp@3.119.0
#:package SkiaSharp.NativeAssets.Linux.NoDependencies@3.119.0
// Writes datasets in the formats FedLayers reads, at realistic sizes, for bench/datasets.sh:
//   OUT/cifar10/     the official binary batches: 5 x 10,000 training and 10,000 test records
//   OUT/images/      imagefolder: 3 domains x 10 classes x 100 PNG images of 64 x 64
//   OUT/texts.csv    textfile: 20,000 rows of text, label, domain (4 languages)
// Content is random but seeded, so every run writes the same bytes.
using SkiaSharp;

var output = args.Length == 1 ? args[0] : throw new ArgumentException("usage: generate.cs OUT");
var random = new Random(7);

var cifar = Directory.CreateDirectory(Path.Combine(output, "cifar10")).FullName;
foreach (var file in new[] { "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin" })
{
    var records = new byte[10_000 * 3073];
    random.NextBytes(records);
    for (int r = 0; r < 10_000; r++) records[r * 3073] = (byte)(r % 10);
    File.WriteAllBytes(Path.Combine(cifar, file), records);
}

foreach (var domain in new[] { "photo", "sketch", "painting" })
    for (int c = 0; c < 10; c++)
    {
        var folder = Directory.CreateDirectory(Path.Combine(output, "images", domain, $"class{c}")).FullName;
        for (int i = 0; i < 100; i++)
        {
            using var bitmap = new SKBitmap(64, 64);
            var pixels = new byte[64 * 64 * 4];
            random.NextBytes(pixels);
            System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
            using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), png.ToArray());
        }
    }

string[] words = ["good", "bad", "service", "slow", "fast", "price", "quality", "never", "again", "great", "terrible", "friendly"];
string[] languages = ["en", "de", "fr", "es"];
using var csv = new StreamWriter(Path.Combine(output, "texts.csv"));
csv.WriteLine("text,label,domain");
for (int row = 0; row < 20_000; row++)
{
    var text = string.Join(' ', Enumerable.Range(0, 40).Select(_ => words[random.Next(words.Length)]));
    csv.WriteLine($"{text},{(row % 3 == 0 ? "negative" : "positive")},{languages[row % languages.Length]}");
}
