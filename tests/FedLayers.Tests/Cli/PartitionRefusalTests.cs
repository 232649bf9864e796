using FedLayers.Tests.Data;

namespace FedLayers.Tests.Cli;

/// <summary>
/// A partition that needs domains, asked of a dataset without them, is refused for every
/// dataset with one message naming --partition, exit code 2, before any run folder exists; and
/// a partition that cannot give every client data is refused the same way.
/// </summary>
public class PartitionRefusalTests
{
    private static void AssertRefused(string model, string dataset, string partition, params string[] expected)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("simulate", "--model", model, "--dataset", dataset, "--partition", partition,
            "--rounds", "1", "--out", folder.Path("run"));
        Assert.Equal(2, code);
        foreach (var text in expected) Assert.Contains(text, error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(folder.Path("run")));
    }

    [Theory]
    [InlineData("domain")]
    [InlineData("source")]
    public void FashionMnistHasNoDomains(string partition) =>
        AssertRefused("small-cnn", "fashion-mnist", partition, $"--partition {partition}", "has no domains");

    [Theory]
    [InlineData("domain")]
    [InlineData("source")]
    public void Cifar10HasNoDomains(string partition)
    {
        using var data = new TempFolder();
        Cifar10Tests.WriteBatches(data, 20);
        AssertRefused("small-cnn", $"cifar10:{data.Root}", partition, $"--partition {partition}", "has no domains");
    }

    [Theory]
    [InlineData("domain")]
    [InlineData("source")]
    public void ATextFileWithoutADomainColumnHasNoDomains(string partition)
    {
        using var data = new TempFolder();
        var file = data.Path("reviews.csv");
        File.WriteAllLines(file, ["text,label", .. Enumerable.Range(0, 40).Select(i => $"review number {i},{(i % 2 == 0 ? "good" : "bad")}")]);
        AssertRefused("minilm", $"textfile:{file}", partition, $"--partition {partition}", "has no domains");
    }

    [Fact]
    public void MoreDomainClientsThanImagesIsRefused()
    {
        using var data = new TempFolder();
        ImageFolderTests.WriteTree(data, 3);
        AssertRefused("small-cnn", $"imagefolder:{data.Root}", "domain", "--clients: expected at most 0 clients, got 20");
    }

    [Fact]
    public void DirichletThatCannotGiveEveryClientTheMinimumIsRefused()
    {
        using var data = new TempFolder();
        Cifar10Tests.WriteBatches(data, 20);
        AssertRefused("small-cnn", $"cifar10:{data.Root}", "dirichlet", "--clients: expected at most 10 clients, got 20");
    }
}
