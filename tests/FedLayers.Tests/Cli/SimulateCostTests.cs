using System.Text.Json;
using FedLayers.Federation;
using FedLayers.Models;

namespace FedLayers.Tests.Cli;

/// <summary><c>simulate --cost params|flops</c> end to end on small-cnn and a few real Fashion-MNIST samples per client.</summary>
public class SimulateCostTests
{
    /// <summary>Runs one short round with <paramref name="options"/> into <paramref name="run"/>; returns what went to standard error.</summary>
    private static string ShortRun(string run, params string[] options)
    {
        var (code, _, error) = CliRunner.Run(["simulate", "--model", "small-cnn", "--rounds", "1", "--clients", "6", "--clients-per-round", "3",
            "--local-steps", "2", "--probe-batches", "1", "--max-samples-per-client", "40", .. options, "--out", run]);
        Assert.True(code == 0, error);
        return error;
    }

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static List<JsonElement> Rounds(string run) =>
        File.ReadAllLines(Path.Combine(run, "selections.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private static IEnumerable<JsonElement> Clients(JsonElement round) => round.GetProperty("clients").EnumerateArray();

    private static List<string> Groups(JsonElement client) => client.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList();

    [Theory]
    [InlineData("params", "top")]
    [InlineData("flops", "strategic")]
    public void BudgetsAndCostsAreRecordedInTheChosenUnitAndRespected(string unit, string strategy)
    {
        using var folder = new TempFolder();
        var run = folder.Path("run");
        ShortRun(run, "--cost", unit, "--strategy", strategy, "--min-budget", "0.2", "--max-budget", "0.5");

        using var model = BuiltIn.Model("small-cnn", [1, 28, 28], 10);
        var layers = model.SelectableGroups;
        var costs = LayerCosts.Of(layers, unit).Select((c, l) => (layers[l].Name, c)).ToDictionary();
        double total = costs.Values.Sum();
        var state = model.state_dict();
        var bytesPerGroup = model.Groups.ToDictionary(g => g.Name, g => g.TensorNames.Sum(t => state[t].numel() * state[t].ElementSize));

        var config = Json(Path.Combine(run, "config.json"));
        Assert.Equal(unit, config.GetProperty("cost").GetString());
        Assert.Equal(0.2, config.GetProperty("min-budget").GetDouble());
        Assert.Equal(JsonValueKind.Null, config.GetProperty("min-layers").ValueKind);
        // the default distribution is recorded, though not given, so a run folder tells how its budgets were drawn
        Assert.Equal("centred", config.GetProperty("budget-distribution").GetString());

        var partition = Json(Path.Combine(run, "partition.json"));
        Assert.Equal(unit, partition.GetProperty("cost_unit").GetString());
        Assert.Equal("centred", partition.GetProperty("budget_distribution").GetString());
        foreach (var client in partition.GetProperty("clients").EnumerateArray())
            Assert.InRange(client.GetProperty("budget").GetDouble(), 0.2 * total, 0.5 * total);

        var round = Assert.Single(Rounds(run));
        Assert.Equal(unit, round.GetProperty("cost_unit").GetString());
        foreach (var client in Clients(round))
        {
            var groups = Groups(client);
            double cost = client.GetProperty("cost").GetDouble();
            Assert.Equal(groups.Where(costs.ContainsKey).Sum(g => costs[g]), cost);
            Assert.True(cost <= client.GetProperty("budget").GetDouble(), client.ToString());
            Assert.Equal(groups.Sum(g => bytesPerGroup[g]), client.GetProperty("upload_bytes").GetInt64());
        }
    }

    [Fact]
    public void BudgetsBelowTheCheapestLayerAreWarnedAboutAndTrainOnlyTheHead()
    {
        using var folder = new TempFolder();
        var run = folder.Path("run");
        // the cheapest small-cnn block holds 7 % of the blocks' parameters
        var error = ShortRun(run, "--cost", "params", "--strategy", "bottom", "--min-budget", "0.02", "--max-budget", "0.05");
        Assert.Contains("6 of 6 clients have a budget below the cheapest layer (4640 params)", error);
        Assert.All(Rounds(run).SelectMany(Clients), c => Assert.Equal(["head"], Groups(c)));
    }

    [Fact]
    public void FullTrainsEveryBlockWhateverTheCostBudgetAndDoesNotWarn()
    {
        using var folder = new TempFolder();
        var run = folder.Path("run");
        var error = ShortRun(run, "--cost", "flops", "--strategy", "full", "--min-budget", "0.02", "--max-budget", "0.05");
        Assert.DoesNotContain("warning", error);
        Assert.All(Rounds(run).SelectMany(Clients), c => Assert.Equal(7, Groups(c).Count));
    }
}
