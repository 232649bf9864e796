using System.Text.RegularExpressions;

namespace FedLayers.Tests.Setup;

/// <summary>Imports point one way (DESIGN.md, Layout): a folder of the library uses only folders below it.</summary>
public class ImportDirectionTests
{
    /// <summary>Cli -> Distributed / Comparison -> Setup -> Federation -> Aggregation, Privacy, Selection -> Models -> Weights, Data, Reporting, Validation.</summary>
    private static readonly Dictionary<string, int> Level = new()
    {
        ["Comparison"] = 1, ["Distributed"] = 1,
        ["Setup"] = 2,
        ["Federation"] = 3,
        ["Aggregation"] = 4, ["Privacy"] = 4, ["Selection"] = 4,
        ["Models"] = 5,
        ["Weights"] = 6, ["Data"] = 6, ["Reporting"] = 6, ["Validation"] = 6,
    };

    [Fact]
    public void NoFolderImportsOneAboveIt()
    {
        var source = Path.Combine(OptionWordsTests.RepositoryRoot(), "src", "FedLayers");
        var reference = new Regex(@"\bFedLayers\.([A-Z]\w*)");
        var upward = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var folder = Path.GetRelativePath(source, file).Split(Path.DirectorySeparatorChar)[0];
            if (!Level.TryGetValue(folder, out int from)) continue; // build output, the root namespace's files
            foreach (Match match in reference.Matches(File.ReadAllText(file)))
            {
                var target = match.Groups[1].Value;
                if (target != folder && Level.TryGetValue(target, out int to) && to < from)
                    upward.Add($"{Path.GetRelativePath(source, file)} uses {target}");
            }
        }
        Assert.True(upward.Count == 0, "imports that point upward:\n" + string.Join("\n", upward.Distinct()));
    }
}
