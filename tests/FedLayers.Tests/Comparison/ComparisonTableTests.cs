using System.Text.Json;
using FedLayers.Comparison;

namespace FedLayers.Tests.Comparison;

/// <summary>results.json is plain JSON: a value with no runs behind it (rounds to a target never reached) is null, not "NaN".</summary>
public class ComparisonTableTests
{
    [Fact]
    public void AMissingValueIsNullInResultsJson()
    {
        using var folder = new TempFolder();
        var some = MeanAndSpread.Of([0.5, 0.7]);
        var none = MeanAndSpread.Of([]);
        var result = new StrategyResult("top", 2, some, some, none, 0, some, some, some);
        ComparisonTable.WriteJson(folder.Path("results.json"), [result], 0.9);
        ComparisonTable.WriteMarkdown(folder.Path("results.md"), [result], 0.9);

        var text = File.ReadAllText(folder.Path("results.json"));
        Assert.DoesNotContain("NaN", text);
        var rounds = JsonDocument.Parse(text).RootElement.GetProperty("strategies")[0].GetProperty("rounds_to_target");
        Assert.Equal(JsonValueKind.Null, rounds.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, rounds.GetProperty("standard_deviation").ValueKind);
        Assert.Equal(0, rounds.GetProperty("count").GetInt32());
        Assert.Equal(0.6, JsonDocument.Parse(text).RootElement.GetProperty("strategies")[0].GetProperty("final_accuracy").GetProperty("mean").GetDouble(), 12);
        Assert.Contains("| top | 2 | 60.0 ± 14.1 | 60.0 ± 14.1 | not reached (0/2) |", File.ReadAllText(folder.Path("results.md")));
    }
}
