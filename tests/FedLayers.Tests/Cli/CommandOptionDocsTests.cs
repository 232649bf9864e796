using System.Text.RegularExpressions;
using FedLayers.Setup;
using FedLayers.Tests.Setup;

namespace FedLayers.Tests.Cli;

/// <summary>
/// The options of a run are documented by generation (docs/OPTIONS.md); the few options of compare, serve
/// and join that are not settings of a run have hand-written tables with their fine print. Those tables
/// must list exactly the options the commands have, so they cannot drift from the code either.
/// </summary>
public class CommandOptionDocsTests
{
    private static readonly string Docs = Path.Combine(OptionWordsTests.RepositoryRoot(), "docs");

    [Theory]
    [InlineData("compare", "COMPARE.md", "| option | default | meaning |", "--out")]
    [InlineData("serve", "DEPLOYMENT.md", "| option | meaning |", "--resume")]
    [InlineData("join", "DEPLOYMENT.md", "`join` options:", null)]
    public void TheHandWrittenTableListsExactlyTheCommandsOwnOptions(string commandName, string page, string tableStart, string? alsoDocumented)
    {
        var root = FedLayers.Cli.Program.CreateCommand(Registries.BuiltIn(), TextWriter.Null, TextWriter.Null, TextReader.Null);
        HashSet<string> Names(string name) => root.Subcommands.Single(c => c.Name == name).Options.Select(o => o.Name)
            .Where(n => n.StartsWith("--") && n != "--help").ToHashSet();
        // compare and serve take simulate's options (generated into OPTIONS.md); an option simulate has too but that
        // means something else here (compare's --out, serve's --resume) is in the command's own table
        var own = Names(commandName);
        if (commandName != "join") own.ExceptWith(Names("simulate"));
        if (alsoDocumented is not null) own.Add(alsoDocumented);
        Assert.Equal(own.Order(), TableOptions(File.ReadAllText(Path.Combine(Docs, page)), tableStart).Order());
    }

    /// <summary>The --options named in the first column of the table that starts at <paramref name="tableStart"/>.</summary>
    private static HashSet<string> TableOptions(string markdown, string tableStart)
    {
        var lines = markdown[markdown.IndexOf(tableStart, StringComparison.Ordinal)..].Split('\n');
        return lines.SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .SelectMany(l => Regex.Matches(l.Split('|')[1], @"--[a-z][a-z-]*").Select(m => m.Value)).ToHashSet();
    }
}
