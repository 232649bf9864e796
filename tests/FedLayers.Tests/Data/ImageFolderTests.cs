using System.Text.Json;
using FedLayers.Data;
using FedLayers.Tests.Cli;
using FedLayers.Weights;
using SkiaSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Data;

/// <summary>Small generated folder trees: PATH/&lt;domain&gt;/&lt;class&gt;/*.png|jpg.</summary>
public class ImageFolderTests
{
    /// <summary>Per domain and class, <paramref name="perClass"/> 16x16 images: "red" images are reddish, "blue" bluish;
    /// the "sketch" domain is darker. One image of each folder is a JPEG.</summary>
    internal static void WriteTree(TempFolder folder, int perClass)
    {
        foreach (var (domain, light) in new[] { ("photo", 1.0), ("sketch", 0.5) })
            foreach (var (cls, colour) in new[] { ("red", new SKColor(220, 40, 40)), ("blue", new SKColor(40, 40, 220)) })
            {
                Directory.CreateDirectory(folder.Path(domain, cls));
                for (int i = 0; i < perClass; i++)
                {
                    using var bitmap = new SKBitmap(16, 16);
                    bitmap.Erase(new SKColor((byte)(colour.Red * light), (byte)(colour.Green * light), (byte)(colour.Blue * light)));
                    bitmap.SetPixel(i % 16, 3, SKColors.White);
                    var format = i == 0 ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png;
                    using var data = bitmap.Encode(format, 95);
                    File.WriteAllBytes(folder.Path(domain, cls, $"{i}.{(i == 0 ? "jpg" : "png")}"), data.ToArray());
                }
            }
    }

    [Fact]
    public void ReadsDomainsClassesAndKeepsATestSharePerDomain()
    {
        using var folder = new TempFolder();
        WriteTree(folder, 10);
        using var splits = ImageFolder.Load(folder.Root, 3);
        Assert.Equal(["blue", "red"], splits.Train.ClassNames);
        Assert.Equal(32, splits.Train.Count);
        Assert.Equal(8, splits.Test.Count); // 20 % of each domain and class: 2 x 2 x 2
        Assert.Equal([3L, 16, 16], splits.Train.Inputs.shape[1..]);
        Assert.Equal(16, splits.TrainDomains!.Count(d => d == "sketch"));
        int red = splits.Train.Labels.ToList().IndexOf(1);
        Assert.True(splits.Train.Inputs[red, 0].mean().item<float>() > splits.Train.Inputs[red, 2].mean().item<float>(), "channel order is RGB");
    }

    [Fact]
    public void ACorruptImageAnEmptyDomainAndAnEmptyTreeAreNamed()
    {
        using var folder = new TempFolder();
        WriteTree(folder, 3);
        var broken = folder.Path("photo", "red", "1.png");
        File.WriteAllBytes(broken, [1, 2, 3, 4]);
        Assert.Contains(broken, Assert.Throws<UserInputException>(() => ImageFolder.Load(folder.Root, 1)).Message);
        File.WriteAllBytes(broken, File.ReadAllBytes(folder.Path("photo", "red", "2.png")));
        Directory.CreateDirectory(folder.Path("painting", "red"));
        Assert.Contains(folder.Path("painting"), Assert.Throws<UserInputException>(() => ImageFolder.Load(folder.Root, 1)).Message);
        using var empty = new TempFolder();
        Assert.Contains(empty.Root, Assert.Throws<UserInputException>(() => ImageFolder.Load(empty.Root, 1)).Message);
    }

    [Fact]
    public void DecodedImagesAreCachedByContentAndAFailedDecodeCachesNothing()
    {
        using var folder = new TempFolder();
        using var cache = new TempDataCache();
        WriteTree(folder, 4);
        float firstValue;
        using (var first = ImageFolder.Load(folder.Root, 1)) firstValue = first.Train.Inputs[0, 0, 0, 0].item<float>();
        var entry = Assert.Single(Directory.GetFiles(cache.Path("images")));

        // the second load reads the entry: replaced by black images of the same shape, it returns them
        var stored = SafetensorsReader.Read(entry).Tensors["data"];
        SafetensorsWriter.Write(entry, new Dictionary<string, Tensor> { ["data"] = zeros_like(stored) });
        using (var second = ImageFolder.Load(folder.Root, 1)) Assert.Equal(-1f, second.Train.Inputs.max().item<float>());

        // a damaged entry is decoded again and replaced
        File.WriteAllBytes(entry, [1, 2, 3]);
        using (var third = ImageFolder.Load(folder.Root, 1)) Assert.Equal(firstValue, third.Train.Inputs[0, 0, 0, 0].item<float>());
        Assert.Equal(stored.data<byte>().ToArray(), SafetensorsReader.Read(entry).Tensors["data"].data<byte>().ToArray());

        // changed content is another key; an undecodable image leaves no entry and no temporary file
        File.Copy(folder.Path("sketch", "red", "1.png"), folder.Path("photo", "red", "1.png"), overwrite: true);
        ImageFolder.Load(folder.Root, 1).Dispose();
        Assert.Equal(2, Directory.GetFiles(cache.Path("images")).Length);
        File.WriteAllBytes(folder.Path("photo", "blue", "2.png"), [1, 2, 3]);
        Assert.Throws<UserInputException>(() => ImageFolder.Load(folder.Root, 1));
        Assert.Equal(2, Directory.GetFiles(cache.Path("images")).Length);
    }

    [Fact]
    public void DomainPartitionGivesEveryClientOneDomainInASimulation()
    {
        using var folder = new TempFolder();
        WriteTree(folder, 12);
        var run = folder.Path("run");
        var (code, _, error) = CliRunner.Run("simulate", "--model", "small-cnn", "--dataset", $"imagefolder:{folder.Root}", "--partition", "domain",
            "--clients", "4", "--clients-per-round", "2", "--rounds", "1", "--local-steps", "2", "--min-samples-per-client", "5", "--out", run);
        Assert.True(code == 0, error);
        var clients = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "partition.json"))).RootElement.GetProperty("clients").EnumerateArray().ToList();
        Assert.Equal(["photo", "sketch", "photo", "sketch"], clients.Select(c => c.GetProperty("domains").EnumerateArray().Single().GetString()!));
    }
}
