using System.Text.Json;
using FedLayers.Setup;

namespace FedLayers.Tests.Distributed;

/// <summary>A deployment under client-level differential privacy samples and trains as its simulation does, however its clients
/// arrive. The server and the clients run in this process; every message goes over gRPC.</summary>
public class PrivateDeploymentTests
{
    // a small clip norm keeps the noise (z S on every coordinate) from wrecking the model: a deployment refuses a client's
    // non-finite update, which a simulation would aggregate
    private static RunConfig Config(string folder) => RunConfig.Defaults()
        .With(RunSettings.Model, "small-cnn").With(RunSettings.Strategy, "top").With(RunSettings.Clients, 4).With(RunSettings.ClientsPerRound, 2)
        .With(RunSettings.Rounds, 3).With(RunSettings.LocalSteps, 5).With(RunSettings.MaxSamplesPerClient, 200).With(RunSettings.EvalSamples, 1000)
        .With(RunSettings.Seed, 5).With(RunSettings.ClipNorm, 0.05).With(RunSettings.DpNoiseMultiplier, 0.5).With(RunSettings.Out, folder);

    [Fact]
    public async Task ClientsThatConnectOneByOneTrainExactlyAsTheSimulationOfTheSameConfiguration()
    {
        using var deployment = new TestDeployment(4);
        // client 0 connects alone first: a server that drew among the connected clients would start round 1 with it only
        Assert.True(await InProcessDeployment.RunAsync(deployment, Config(deployment.RunFolder), oneByOne: true));
        var simulation = deployment.Path("simulation");
        await Simulation.RunAsync(Config(simulation), [], _ => { });

        Assert.Equal(TestDeployment.Numbers(Path.Combine(simulation, "metrics.jsonl")), TestDeployment.Numbers(Path.Combine(deployment.RunFolder, "metrics.jsonl")));
        var selections = File.ReadAllLines(Path.Combine(simulation, "selections.jsonl"));
        Assert.Equal(selections, File.ReadAllLines(Path.Combine(deployment.RunFolder, "selections.jsonl")));
        // the test means something only if round 1 trained a client that was not there when the server could first start
        var firstRound = JsonDocument.Parse(selections[0]).RootElement.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("client").GetInt32());
        Assert.Contains(firstRound, id => id > 0);
        Assert.False(File.Exists(Path.Combine(deployment.RunFolder, "failures.jsonl")));
    }
}
