using System.CommandLine;
using System.Text.RegularExpressions;
using FedLayers.Setup;

namespace FedLayers.Tests.Setup;

/// <summary>Only the set-up layer and the command line speak in --option words; the library below names fields and files.</summary>
public class OptionWordsTests
{
    private static IEnumerable<string> OptionNames(Command command) =>
        command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Concat(command.Subcommands.SelectMany(OptionNames));

    [Fact]
    public void NoLibraryFileBelowTheSetUpLayerNamesACommandLineOption()
    {
        var options = OptionNames(FedLayers.Cli.Program.CreateCommand(Registries.BuiltIn(), TextWriter.Null, TextWriter.Null, TextReader.Null))
            .Where(name => name.StartsWith("--", StringComparison.Ordinal) && name.Length > 3).Distinct().ToList();
        Assert.Contains("--lambda", options);
        var pattern = new Regex(@"(?<![\w-])(" + string.Join("|", options.Select(Regex.Escape)) + @")(?![\w-])");
        var source = Path.Combine(RepositoryRoot(), "src");
        var libraries = new[] { "FedLayers", "FedLayers.Distributed" };
        var offenders = libraries.SelectMany(library => Directory.EnumerateFiles(Path.Combine(source, library), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Setup{Path.DirectorySeparatorChar}") && !IsBuildOutput(f))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(l => pattern.IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(source, l.f)}:{l.i + 1}: {pattern.Match(l.line).Value}")
            .ToList();
        Assert.True(offenders.Count == 0, "option names in the libraries below the set-up layer:\n" + string.Join("\n", offenders));
    }

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}");

    /// <summary>The folder holding FedLayers.sln, above the test binaries.</summary>
    internal static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "FedLayers.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException("FedLayers.sln not found above " + AppContext.BaseDirectory);
    }
}
