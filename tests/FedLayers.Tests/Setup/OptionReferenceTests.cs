using FedLayers.Setup;
using FedLayers.Tests.Cli;

namespace FedLayers.Tests.Setup;

/// <summary>docs/OPTIONS.md is the registries' own reference: regenerate it with <c>./fedlayers options &gt; docs/OPTIONS.md</c>.</summary>
public class OptionReferenceTests
{
    [Fact]
    public void TheDocumentedOptionReferenceIsTheGeneratedOne()
    {
        var documented = File.ReadAllText(Path.Combine(OptionWordsTests.RepositoryRoot(), "docs", "OPTIONS.md"));
        Assert.True(documented == OptionReference.Markdown(Registries.BuiltIn()),
            "docs/OPTIONS.md is out of date; regenerate it with ./fedlayers options > docs/OPTIONS.md");
    }

    [Fact]
    public void EveryOptionOfSimulateIsInTheReference()
    {
        var (code, help, _) = CliRunner.Run("simulate", "--help");
        Assert.Equal(0, code);
        var reference = OptionReference.Markdown(Registries.BuiltIn());
        foreach (var setting in Registries.BuiltIn().Settings)
        {
            Assert.Contains(setting.Option, help);
            Assert.Contains($"`{setting.Option}`", reference);
        }
    }
}
