using System.Text.Json;
using FedLayers.Federation;
using FedLayers.Privacy;
using FedLayers.Tests.Cli;
using FedLayers.Tests.Federation;

namespace FedLayers.Tests.Privacy;

/// <summary>Runs under client-level differential privacy through the command line: epsilon per round as the accountant says,
/// a budget that stops the run cleanly, the same numbers from the same seed, and a resumed run that continues the accountant.</summary>
public class PrivateRunTests
{
    private const int Clients = 30, PerRound = 6;
    private const double Noise = 1.0;

    private static string[] Options(string folder, int rounds) =>
    [
        "simulate", "--model", "small-cnn", "--strategy", "top", "--clients", $"{Clients}", "--clients-per-round", $"{PerRound}",
        "--rounds", $"{rounds}", "--local-steps", "2", "--max-samples-per-client", "40", "--eval-samples", "300", "--partition", "iid",
        "--clip-norm", "1", "--dp-noise-multiplier", $"{Noise}", "--out", folder,
    ];

    private static List<JsonElement> Metrics(string folder) =>
        [.. File.ReadLines(Path.Combine(folder, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];

    private static double EpsilonAfter(int rounds)
    {
        var accountant = new RdpAccountant();
        accountant.Add((double)PerRound / Clients, Noise, rounds);
        return accountant.Epsilon(0.1 / Clients).Epsilon;
    }

    [Fact]
    public void ABudgetStopsTheRunCleanlyWithTheNumbersOfAShorterRunAndAResumedRunContinuesTheAccountant()
    {
        using var folder = new TempFolder();
        var (code, output, error) = CliRunner.Run([.. Options(folder.Path("two"), 2)]);
        Assert.True(code == 0, error);
        var two = Metrics(folder.Path("two"));
        Assert.Equal(JsonValueKind.Null, two[0].GetProperty("dp_epsilon").ValueKind);
        Assert.Equal(EpsilonAfter(1), two[1].GetProperty("dp_epsilon").GetDouble(), 12);
        Assert.Equal(EpsilonAfter(2), two[2].GetProperty("dp_epsilon").GetDouble(), 12);
        Assert.Contains("privacy spent, epsilon", output);

        // a budget between the second and the third round's epsilon: five rounds asked for, two run, the summary written, exit 0
        double budget = (EpsilonAfter(2) + EpsilonAfter(3)) / 2;
        (code, output, error) = CliRunner.Run([.. Options(folder.Path("budget"), 5), "--dp-epsilon-budget", $"{budget}"]);
        Assert.True(code == 0, error);
        Assert.Contains("stopped before round 3", output);
        var summary = JsonDocument.Parse(File.ReadAllText(folder.Path("budget", "summary.json"))).RootElement;
        Assert.Equal(2, summary.GetProperty("rounds").GetInt32());
        Assert.Equal(EpsilonAfter(2), summary.GetProperty("dp_epsilon").GetDouble(), 12);
        Assert.Equal(SimulationTests.WithoutTimes(folder.Path("two", "metrics.jsonl")), SimulationTests.WithoutTimes(folder.Path("budget", "metrics.jsonl")));

        // evaluated every 5 rounds, the last round the budget lets run is evaluated all the same, with the same numbers
        (code, _, error) = CliRunner.Run([.. Options(folder.Path("sparse"), 5), "--dp-epsilon-budget", $"{budget}", "--eval-every", "5"]);
        Assert.True(code == 0, error);
        var sparse = Metrics(folder.Path("sparse"));
        Assert.Equal(3, sparse.Count);
        Assert.Equal(JsonValueKind.Null, sparse[1].GetProperty("test_accuracy").ValueKind);
        Assert.Equal(two[2].GetProperty("test_accuracy").GetDouble(), sparse[2].GetProperty("test_accuracy").GetDouble());

        // one round, then resumed to two: the same numbers, epsilon included, as the run that went through
        Assert.Equal(0, CliRunner.Run([.. Options(folder.Path("resumed"), 1)]).ExitCode);
        (code, _, error) = CliRunner.Run("simulate", "--resume", "--out", folder.Path("resumed"), "--rounds", "2");
        Assert.True(code == 0, error);
        Assert.Equal(SimulationTests.WithoutTimes(folder.Path("two", "metrics.jsonl")), SimulationTests.WithoutTimes(folder.Path("resumed", "metrics.jsonl")));
    }

    [Fact]
    public void StrategicSelectsFromThePrivateProbeAndItsSelectionRoundsCostTheComposedEpsilon()
    {
        using var folder = new TempFolder();
        string[] Strategic(string name, int rounds) =>
            [.. Options(folder.Path(name), rounds).Select(o => o == "top" ? "strategic" : o), "--select-every", "2", "--dp-probe-noise-multiplier", "2"];
        var (code, _, error) = CliRunner.Run(Strategic("three", 3));
        Assert.True(code == 0, error);
        // rounds 1 and 3 select (and release the probe), round 2 reuses the masks
        var accounting = new PrivacyAccounting((double)PerRound / Clients, Noise, 0.1 / Clients, null, ProbeNoiseMultiplier: 2);
        var metrics = Metrics(folder.Path("three"));
        bool[] probed = [true, false, true];
        for (int round = 1; round <= 3; round++)
            Assert.Equal(accounting.EpsilonAfter(probed[..round]), metrics[round].GetProperty("dp_epsilon").GetDouble(), 12);
        Assert.True(metrics[1].GetProperty("dp_epsilon").GetDouble() > EpsilonAfter(1));
        // every sampled client was given masks by the solver from the one noisy profile: they differ only through the budgets
        var selections = File.ReadLines(folder.Path("three", "selections.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(selections[0].GetProperty("reselected").GetBoolean());
        Assert.False(selections[1].GetProperty("reselected").GetBoolean());

        // one round, then resumed to three: the same numbers, epsilon included
        Assert.Equal(0, CliRunner.Run(Strategic("resumed", 1)).ExitCode);
        (code, _, error) = CliRunner.Run("simulate", "--resume", "--out", folder.Path("resumed"), "--rounds", "3");
        Assert.True(code == 0, error);
        Assert.Equal(SimulationTests.WithoutTimes(folder.Path("three", "metrics.jsonl")), SimulationTests.WithoutTimes(folder.Path("resumed", "metrics.jsonl")));
    }
}
