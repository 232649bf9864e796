using System.Text.RegularExpressions;

namespace FedLayers.Tests.Packaging;

/// <summary>What each package holds and depends on, read from the .nupkg files.</summary>
[Collection(PackagingCollection.Name)]
public class PackageContentsTests(PackedPackages packages)
{
    [Fact]
    public void The_core_package_carries_the_pretrained_targets_but_no_weights_no_runtime_and_no_grpc()
    {
        var entries = packages.Entries("FedLayers");
        foreach (var folder in new[] { "build", "buildTransitive" })
        {
            Assert.Contains($"{folder}/FedLayers.targets", entries);
            Assert.Contains($"{folder}/FedLayers.Pretrained.proj", entries);
        }
        Assert.Contains("lib/net10.0/FedLayers.dll", entries);
        Assert.Contains("lib/net10.0/FedLayers.xml", entries);
        Assert.DoesNotContain(entries, e => e.EndsWith(".onnx", StringComparison.Ordinal) || e.Contains("MiniLM", StringComparison.Ordinal));

        var dependencies = packages.Dependencies("FedLayers");
        Assert.Equal("0.107.0", dependencies["TorchSharp"]);
        Assert.DoesNotContain(dependencies.Keys, id => id.StartsWith("libtorch", StringComparison.Ordinal) || id == "TorchSharp-cpu"
            || id.StartsWith("Grpc", StringComparison.Ordinal) || id.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("FedLayers")]
    [InlineData("FedLayers.Distributed")]
    [InlineData("FedLayers.Cli")]
    public void The_readme_on_a_package_page_has_no_link_that_needs_the_repository_beside_it(string id)
    {
        var relativeLink = new Regex(@"\[([^\]]*)\]\((?!https?:|#|mailto:)([^)]+)\)");
        var source = File.ReadAllText(Path.Combine(PackedPackages.RepositoryRoot, "README.md"));
        var packed = packages.Text(id, "README.md");
        Assert.Empty(relativeLink.Matches(packed));
        // every path the README linked to is still named: as a link into the repository, or as text when its URL is not known
        var paths = relativeLink.Matches(source).Select(m => m.Groups[2].Value).Distinct().ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, path => Assert.True(packed.Contains($"/{path})", StringComparison.Ordinal) || packed.Contains($"`{path}`", StringComparison.Ordinal),
            $"{id}'s README no longer names {path}"));
    }

    [Fact]
    public void The_distributed_package_depends_on_the_core_package_of_its_version_and_on_grpc()
    {
        Assert.Contains("lib/net10.0/FedLayers.Distributed.dll", packages.Entries("FedLayers.Distributed"));
        var dependencies = packages.Dependencies("FedLayers.Distributed");
        Assert.Equal(packages.Version, dependencies["FedLayers"]);
        Assert.Contains("Grpc.AspNetCore", dependencies.Keys);
        Assert.Contains("Grpc.Net.Client", dependencies.Keys);
        Assert.DoesNotContain("Grpc.Tools", dependencies.Keys); // build time only
    }

    [Fact]
    public void The_cli_package_is_a_dotnet_tool_named_fedlayers_without_pretrained_weights()
    {
        var packageType = packages.Nuspec("FedLayers.Cli").Descendants().Single(e => e.Name.LocalName == "packageType");
        Assert.Equal("DotnetTool", (string?)packageType.Attribute("name"));
        var command = packages.Xml("FedLayers.Cli", "tools/net10.0/any/DotnetToolSettings.xml").Descendants("Command").Single();
        Assert.Equal("fedlayers", (string?)command.Attribute("Name"));
        Assert.Equal("FedLayers.Cli.dll", (string?)command.Attribute("EntryPoint"));
        Assert.Equal("dotnet", (string?)command.Attribute("Runner"));

        var entries = packages.Entries("FedLayers.Cli");
        Assert.Contains("tools/net10.0/any/FedLayers.Cli.dll", entries);
        Assert.Contains("tools/net10.0/any/FedLayers.Distributed.dll", entries);
        Assert.DoesNotContain(entries, e => e.Contains("/pretrained/", StringComparison.Ordinal));
        Assert.Empty(packages.Dependencies("FedLayers.Cli")); // a tool carries what it runs on
    }
}
