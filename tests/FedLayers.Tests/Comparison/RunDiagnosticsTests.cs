using FedLayers.Comparison;
using FedLayers.Reporting;

namespace FedLayers.Tests.Comparison;

/// <summary>The diagnostics that explain an endpoint, on hand-computed runs, and the head floor's verdict.</summary>
public class RunDiagnosticsTests
{
    private static readonly string[] Layers = ["layer1", "layer2", "layer3"];

    private static RecordedRun Run(string arm, string strategy, params (double Accuracy, double? Share, RecordedClient[] Clients)[] rounds) =>
        new(arm, 1, [new RecordedRound(0, 0.1, 0, null, null, []),
            .. rounds.Select((r, i) => new RecordedRound(i + 1, r.Accuracy, 0, r.Share, r.Share / 2, r.Clients))],
            new RunSummary(strategy, rounds.Length, 0.1, rounds[^1].Accuracy, rounds.Max(r => r.Accuracy), 1, 0, 0, 0, 0));

    [Fact]
    public void SlopeUnusedBudgetAndOverlapAreTheHandValues()
    {
        // strategic: client 7 trains layer2 and layer3 of a budget of 2, client 9 layer3 of 2 (half unused)
        var strategic = Run("strategic@0", "strategic",
            (0.5, 0.4, [new(7, 2, 2, ["layer2", "layer3", "head"]), new(9, 2, 1, ["layer3", "head"])]),
            (0.6, 0.2, [new(7, 2, 2, ["layer2", "layer3", "head"])]));
        // top: client 7 trains layer3 (overlap 1/2), client 9 layer3 (overlap 1); round 2 client 7 layer1 (overlap 0)
        var top = Run("top", "top",
            (0.4, null, [new(7, 2, 1, ["layer3", "head"]), new(9, 2, 1, ["layer3", "head"])]),
            (0.7, null, [new(7, 2, 1, ["layer1", "head"])]));

        var ofTop = RunDiagnostics.Of(top, 2, Layers, strategic);
        Assert.Equal(0.55, ofTop.Endpoint, 12);
        Assert.Equal(0.3, ofTop.EndpointSlope!.Value, 12); // two rounds: the rise from one to the next
        Assert.Equal(0.5, ofTop.UnusedBudget, 12); // half of every budget, in every round
        Assert.Equal((0.5 + 1 + 0) / 3, ofTop.StrategicOverlap!.Value, 12);
        Assert.Equal(1, ofTop.LayersPerRound, 12); // both clients on layer3, then layer1 alone
        Assert.Null(ofTop.UnselectedGradientShare);

        var ofStrategic = RunDiagnostics.Of(strategic, 2, Layers, strategic);
        Assert.Null(ofStrategic.StrategicOverlap);
        Assert.Equal(0.3, ofStrategic.UnselectedGradientShare!.Value, 12);
        Assert.Equal(0.15, ofStrategic.Disagreement!.Value, 12);
        Assert.Equal((0 + 0.5 + 0) / 3, ofStrategic.UnusedBudget, 12);
        Assert.Equal(2, ofStrategic.LayersPerRound, 12); // layer2 and layer3 in both rounds; head is not selectable
        Assert.Null(RunDiagnostics.Of(top, 1, Layers, null).EndpointSlope);
    }

    [Fact]
    public void LayersPerRoundCountsTheDistinctSelectableGroupsOfRoundsWithClients()
    {
        // round 1: clients on layer1 and layer3 (2 layers); round 2: layer3 twice (1); round 3: every client failed (left out)
        var spread = Run("snr", "snr",
            (0.4, null, [new(1, 1, 1, ["layer1", "head"]), new(2, 1, 1, ["layer3", "head"])]),
            (0.5, null, [new(1, 1, 1, ["layer3", "head"]), new(3, 1, 1, ["layer3", "head"])]),
            (0.5, null, []));
        Assert.Equal(1.5, RunDiagnostics.Of(spread, 1, Layers, null).LayersPerRound, 12);

        var head = Run("head", "head", (0.4, null, [new(1, 1, 0, ["head"])]));
        Assert.Equal(0, RunDiagnostics.Of(head, 1, Layers, null).LayersPerRound);
    }

    [Fact]
    public void MasksAreHeldAgainstTheReferenceWhenItRunsStrategicElseTheFirstStrategicArm()
    {
        // strategic@0 trains layer1, strategic@0.1 layer3, top layer3: top shares all of its masks with strategic@0.1, none with strategic@0
        var runs = new[]
        {
            Run("strategic@0", "strategic", (0.5, 0.4, [new(7, 1, 1, ["layer1", "head"])])),
            Run("strategic@0.1", "strategic", (0.6, 0.4, [new(7, 1, 1, ["layer3", "head"])])),
            Run("top", "top", (0.4, null, [new(7, 1, 1, ["layer3", "head"])])),
        };
        string[] arms = ["strategic@0", "strategic@0.1", "top"];
        double? TopOverlap(ComparisonSummary s) => s.Runs.Single(r => r.Arm == "top").StrategicOverlap;

        var againstPrimary = ComparisonTable.Summarise(runs, arms, new ComparisonReportOptions(Reference: "strategic@0.1", EndpointRounds: 1), Layers);
        Assert.Equal("strategic@0.1", againstPrimary.StrategicArm);
        Assert.Equal(1, TopOverlap(againstPrimary));
        Assert.Equal(0, againstPrimary.Runs.Single(r => r.Arm == "strategic@0").StrategicOverlap);

        var againstTop = ComparisonTable.Summarise(runs, arms, new ComparisonReportOptions(Reference: "top", EndpointRounds: 1), Layers);
        Assert.Equal("strategic@0", againstTop.StrategicArm);
        Assert.Equal(0, TopOverlap(againstTop));
    }

    [Fact]
    public void RoundsThatWereNotEvaluatedAreLeftOutOfEveryAccuracyFigureAndTheTableSaysSo()
    {
        static RecordedRound Round(int round, double? accuracy) => new(round, accuracy, 0, null, null, []);
        var run = new RecordedRun("top", 1, [Round(0, 0.1), Round(1, null), Round(2, 0.5), Round(3, null), Round(4, 0.7)],
            new RunSummary("top", 4, 0.1, 0.7, 0.7, 4, 0, 0, 0, 0));

        Assert.Equal(0.6, run.Endpoint(3), 12); // rounds 2 to 4: the evaluated 2 and 4
        Assert.Equal(0.1, RunDiagnostics.Of(run, 3, Layers, null).EndpointSlope!.Value, 12); // (0.7 - 0.5) over two rounds
        var cutShort = run with { Rounds = run.Rounds.Take(4).ToList() };
        Assert.Equal(0.5, cutShort.Endpoint(1), 12); // no evaluated round in the window: the last evaluated one
        Assert.Null(RunDiagnostics.Of(cutShort, 1, Layers, null).EndpointSlope);

        using var folder = new TempFolder();
        var summary = ComparisonTable.Summarise([run], ["top"], new ComparisonReportOptions(EndpointRounds: 3), Layers);
        Assert.True(summary.SkippedEvaluations);
        ComparisonTable.WriteMarkdown(folder.Path("results.md"), summary);
        ComparisonTable.WriteJson(folder.Path("results.json"), summary);
        AccuracyPlots.WriteByRound(folder.Path("by-round.png"), [run], ["top"]);
        Assert.Contains("Some rounds were not evaluated (the runs evaluate every few rounds)", File.ReadAllText(folder.Path("results.md")));
        Assert.Contains("\"skipped_evaluations\": true", File.ReadAllText(folder.Path("results.json")));
        Assert.True(new FileInfo(folder.Path("by-round.png")).Length > 0);

        var evaluated = run with { Rounds = [.. run.Rounds.Where(r => r.TestAccuracy is not null)] };
        ComparisonTable.WriteJson(folder.Path("all.json"), ComparisonTable.Summarise([evaluated], ["top"], new ComparisonReportOptions(), Layers));
        Assert.DoesNotContain("skipped_evaluations", File.ReadAllText(folder.Path("all.json")));
    }

    [Fact]
    public void ASettingCannotRankWhenEveryBudgetedArmIsWithinAPointOfHead()
    {
        static ComparisonSummary With(params (string Arm, double Endpoint)[] arms)
        {
            var runs = arms.Select(a => new RunDiagnostics(a.Arm, 1, a.Endpoint, null, null, 0, 0, null, null)).ToList();
            double? head = arms.Any(a => a.Arm == "head") ? arms.Single(a => a.Arm == "head").Endpoint : null;
            return new ComparisonSummary(0.9, 5, [], [], [.. arms.Select(a => ArmDiagnostics.Of(a.Arm, [.. runs.Where(r => r.Arm == a.Arm)], head))], runs, null);
        }

        // full far above head does not count: it ignores the budgets
        Assert.False(With(("head", 0.60), ("top", 0.605), ("strategic", 0.595), ("full", 0.70)).RanksAboveHead);
        Assert.True(With(("head", 0.60), ("top", 0.605), ("strategic", 0.62)).RanksAboveHead);
        Assert.Null(With(("top", 0.605), ("strategic", 0.62)).RanksAboveHead);

        using var folder = new TempFolder();
        ComparisonTable.WriteMarkdown(folder.Path("results.md"), With(("head", 0.60), ("top", 0.605), ("full", 0.70)));
        var text = File.ReadAllText(folder.Path("results.md"));
        Assert.Contains("**Every budgeted arm is within 1 point of head**", text);
        Assert.Contains("| top | - | - | 0.0 ± 0.0 | 0.0 ± 0.0 | - | - | +0.5 |", text);
    }
}
