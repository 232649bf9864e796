using System.Text.Json;
using FedLayers.Distributed;
using FedLayers.Tests.Distributed;

namespace FedLayers.Tests.Examples;

/// <summary>The programs in examples/ run as a user would run them, at small sizes, and do what they say.</summary>
public class ExampleTests
{
    private static JsonElement Summary(string runFolder) => JsonDocument.Parse(File.ReadAllText(Path.Combine(runFolder, "summary.json"))).RootElement;

    [Fact]
    public async Task YourOwnModelOnInMemoryDataLearns()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, await FedLayers.Examples.OwnModel.Program.Main([folder.Path("run"), "6"]));
        var summary = Summary(folder.Path("run"));
        Assert.True(summary.GetProperty("final_accuracy").GetDouble() > summary.GetProperty("initial_accuracy").GetDouble() + 0.2,
            summary.ToString());
        var groups = JsonDocument.Parse(File.ReadAllText(folder.Path("run", "model.json"))).RootElement.GetProperty("groups");
        Assert.Equal(["embed", "block1", "block2", "block3", "head"], groups.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task AnEighthStrategyRunsBesideTheBuiltInOnes()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, await FedLayers.Examples.RotatingStrategy.Program.Main([folder.Path("run"), "2", "40"]));
        Assert.Equal("rotating", Summary(folder.Path("run")).GetProperty("strategy").GetString());
        var selections = File.ReadAllLines(folder.Path("run", "selections.jsonl"));
        Assert.Equal(2, selections.Length);
        Assert.NotEqual(SelectedGroups(selections[0]), SelectedGroups(selections[1]));
    }

    private static string SelectedGroups(string line) => string.Join(";", JsonDocument.Parse(line).RootElement.GetProperty("clients").EnumerateArray()
        .Select(c => string.Join(",", c.GetProperty("groups").EnumerateArray().Select(g => g.GetString()))));

    [Fact]
    public async Task ADeploymentWithYourOwnModelRunsItsRounds()
    {
        using var deployment = new TestDeployment(clients: 4);
        string[] serve = ["serve", $"127.0.0.1:{deployment.Port}", deployment.ClientsFile, deployment.RunFolder, "2"];
        var server = Task.Run(() => FedLayers.Examples.DeploymentClient.Program.Main(serve));
        var clients = Enumerable.Range(0, 4).Select(i => Task.Run(() => FedLayers.Examples.DeploymentClient.Program.Main(
            ["join", $"http://127.0.0.1:{deployment.Port}", TestDeployment.Id(i), deployment.Tokens[i]]))).ToList();
        Assert.Equal(0, await server.WaitAsync(TimeSpan.FromMinutes(3)));
        Assert.All(await Task.WhenAll(clients), code => Assert.Equal(0, code));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(deployment.RunFolder, "metrics.jsonl")).Length);
        Assert.Equal("sensor-net", JsonDocument.Parse(File.ReadAllText(Path.Combine(deployment.RunFolder, "config.json"))).RootElement.GetProperty("model").GetString());
    }
}
