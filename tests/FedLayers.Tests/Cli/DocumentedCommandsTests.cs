using System.Text.RegularExpressions;
using FedLayers.Setup;
using FedLayers.Tests.Setup;

namespace FedLayers.Tests.Cli;

/// <summary>
/// Every <c>./fedlayers</c> command the README and docs/ show in a shell block parses: no unknown option, no value of the
/// wrong kind. A renamed or removed option would otherwise leave the pages telling users to run commands that fail.
/// </summary>
public partial class DocumentedCommandsTests
{
    public static TheoryData<string, string> Commands()
    {
        var root = OptionWordsTests.RepositoryRoot();
        var pages = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Append(Path.Combine(root, "README.md"));
        var commands = new TheoryData<string, string>();
        foreach (var page in pages.Order())
            foreach (var command in ShellCommands(File.ReadAllText(page)))
                commands.Add(Path.GetRelativePath(root, page), command);
        return commands;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void ParsesWithoutErrors(string page, string command)
    {
        var root = FedLayers.Cli.Program.CreateCommand(Registries.BuiltIn(), TextWriter.Null, TextWriter.Null, TextReader.Null);
        // a "..." stands for options the page leaves out, so those the command requires may be missing
        bool partial = command.Contains(" ... ", StringComparison.Ordinal);
        var errors = root.Parse(Words(command)).Errors.Select(e => e.Message)
            .Where(e => !(partial && e.EndsWith("is required.", StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, $"{page}: {command}\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void ThePagesShowCommands() => Assert.True(Commands().Count() > 20);

    /// <summary>The ./fedlayers commands of a page's sh blocks, continuation lines joined, the block's variables
    /// (<c>common="..."</c>) put in, comments and pipes cut.</summary>
    private static IEnumerable<string> ShellCommands(string markdown)
    {
        foreach (Match block in ShellBlock().Matches(markdown))
        {
            var joined = block.Groups[1].Value.Replace("\\\n", " ");
            var variables = Assignment().Matches(joined).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            foreach (var line in joined.Split('\n'))
            {
                var text = variables.Aggregate(line.Trim(), (t, v) => t.Replace("$" + v.Key, v.Value));
                int start = text.IndexOf("./fedlayers ", StringComparison.Ordinal);
                if (start < 0 || text.StartsWith('#')) continue;
                text = text[start..];
                foreach (var end in new[] { " #", " |", " &", " >", " 2>", ";" })
                    if (text.IndexOf(end, StringComparison.Ordinal) is > 0 and var at) text = text[..at];
                yield return text.Trim();
            }
        }
    }

    /// <summary>The words after ./fedlayers, with single or double quotes taken off and a "..." left out.</summary>
    private static string[] Words(string command) =>
        [.. ShellWord().Matches(command).Select(m => m.Value.Trim('\'', '"')).Skip(1).Where(w => w != "...")];

    [GeneratedRegex(@"```(?:sh|bash|shell)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^([a-z_]+)=""([^""]*)""", RegexOptions.Multiline)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"""[^""]*""|'[^']*'|\S+")]
    private static partial Regex ShellWord();
}
