using System.Text.Json;
using FedLayers.Comparison;

namespace FedLayers.Tests.Comparison;

/// <summary>results.json and results.md: plain JSON (a value with no runs behind it is null, not "NaN") and the paired
/// differences against the reference with their intervals, on hand-computed cases.</summary>
public class ComparisonTableTests
{
    private static ComparisonSummary Summary(IReadOnlyList<PairedDifference> paired)
    {
        var some = MeanAndSpread.Of([0.5, 0.7]);
        var none = MeanAndSpread.Of([]);
        return new ComparisonSummary(0.9, 5, [new StrategyResult("top", 2, some, some, some, none, 0, some, some, some)], paired,
            [new ArmDiagnostics("top", none, none, some, some, some, none, null)], [], null);
    }

    [Fact]
    public void AMissingValueIsNullInResultsJson()
    {
        using var folder = new TempFolder();
        ComparisonTable.WriteJson(folder.Path("results.json"), Summary([]));
        ComparisonTable.WriteMarkdown(folder.Path("results.md"), Summary([]));

        var text = File.ReadAllText(folder.Path("results.json"));
        Assert.DoesNotContain("NaN", text);
        var top = JsonDocument.Parse(text).RootElement.GetProperty("strategies")[0];
        var rounds = top.GetProperty("rounds_to_target");
        Assert.Equal(JsonValueKind.Null, rounds.GetProperty("mean").ValueKind);
        Assert.Equal(JsonValueKind.Null, rounds.GetProperty("standard_deviation").ValueKind);
        Assert.Equal(0, rounds.GetProperty("count").GetInt32());
        Assert.Equal(0.6, top.GetProperty("final_accuracy").GetProperty("mean").GetDouble(), 12);
        Assert.Contains("| top | 2 | 60.0 ± 14.1 | 60.0 ± 14.1 | 60.0 ± 14.1 | not reached (0/2) |", File.ReadAllText(folder.Path("results.md")));
    }

    [Fact]
    public void APairedDifferenceHasTheTIntervalOfItsSeedsDifferences()
    {
        // differences 0.01, 0.02, 0.03 on seeds 1-3 (seed 4 only the strategy ran): mean 0.02, sd 0.01, t(2) = 4.303
        var arm = new Dictionary<int, double> { [1] = 0.51, [2] = 0.62, [3] = 0.73, [4] = 0.9 };
        var reference = new Dictionary<int, double> { [1] = 0.50, [2] = 0.60, [3] = 0.70 };
        var paired = PairedDifference.Of("strategic", arm, "top", reference);
        Assert.Equal(3, paired.Seeds);
        Assert.Equal(3, paired.Positive);
        Assert.Equal(0.02, paired.Mean!.Value, 12);
        double half = 4.303 * 0.01 / Math.Sqrt(3);
        Assert.Equal(0.02 - half, paired.Lower!.Value, 9);
        Assert.Equal(0.02 + half, paired.Upper!.Value, 9);
        Assert.Equal("not separated", paired.Verdict);
        Assert.Equal("better", (paired with { Lower = 0.001 }).Verdict);
        Assert.Equal("worse", (paired with { Upper = -0.001 }).Verdict);

        var one = PairedDifference.Of("strategic", new Dictionary<int, double> { [1] = 0.4 }, "top", reference);
        Assert.Equal((-0.1, (double?)null, "not separated"), (Math.Round(one.Mean!.Value, 12), one.Lower, one.Verdict));

        using var folder = new TempFolder();
        ComparisonTable.WriteMarkdown(folder.Path("results.md"), Summary([paired]));
        Assert.Contains("| strategic | 3 | +2.0 | -0.5 to +4.5 | 3/3 | not separated |", File.ReadAllText(folder.Path("results.md")));
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(30, 2.042)]
    [InlineData(60, 2.000)]
    [InlineData(120, 1.980)]
    public void TheCriticalValuesAreTheTables(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Critical95(degreesOfFreedom), 0.003);

    [Fact]
    public void TheReferenceIsTopWhenComparedElseTheFirstAndMustBeCompared()
    {
        Assert.Equal("top", new ComparisonReportOptions().ReferenceAmong(["strategic", "top"]));
        Assert.Equal("strategic", new ComparisonReportOptions().ReferenceAmong(["strategic", "full"]));
        Assert.Equal("full", new ComparisonReportOptions(Reference: "full").ReferenceAmong(["strategic", "full"]));
        Assert.Equal("Reference", Assert.Throws<ArgumentException>(() => new ComparisonReportOptions(Reference: "rgn").ReferenceAmong(["top"])).ParamName);
        Assert.Equal("EndpointRounds", Assert.Throws<ArgumentException>(() => new ComparisonReportOptions(EndpointRounds: 0)).ParamName);
    }
}
