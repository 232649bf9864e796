using FedLayers.Distributed;
using FedLayers.Federation;
using FedLayers.Setup;

namespace FedLayers.Tests.Distributed;

/// <summary>
/// One of six clients of a loopback deployment attacks through the real protocol: it (a) declares int.MaxValue samples,
/// (b) sends its real update times 10^4, or (c) sends it negated times 10. With serve's cap on a client's weight and the
/// trimmed mean (one client dropped at each end), the final accuracy stays within 5 points of the same deployment without the attacker; with the plain mean
/// and no cap, (b) wrecks the model. The server and the honest clients run in this process; every message goes over gRPC.
/// </summary>
public class HostileClientTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private static readonly Dictionary<string, double> HonestAccuracy = [];
    private const int Clients = 6;

    /// <summary>small-cnn, every client training every layer (so each layer has six clients), a few rounds.</summary>
    private static RunConfig Config(string aggregator, string folder) => RunConfig.Defaults()
        .With(RunSettings.Model, "small-cnn").With(RunSettings.Strategy, "full").With(RunSettings.Partition, "iid")
        .With(RunSettings.ClientsPerRound, Clients).With(RunSettings.Rounds, 6).With(RunSettings.LocalSteps, 15).With(RunSettings.Optimizer, "adam").With(RunSettings.Lr, 0.002)
        .With(RunSettings.MaxSamplesPerClient, 480).With(RunSettings.EvalSamples, 1000).With(RunSettings.Seed, 5)
        .With(RunSettings.Aggregator, aggregator).With(RunSettings.MaxClientWeight, aggregator == "mean" ? 1.0 : null).With(RunSettings.Out, folder);

    /// <summary>The last test accuracy of a deployment of six clients, the last of them running <paramref name="attack"/> (null: honest).</summary>
    /// <param name="minClients">the successes a round needs; null: serve's default, all the clients of the round.</param>
    private static async Task<double> FinalAccuracyAsync(string aggregator, Attack? attack, int? minClients = null)
    {
        using var deployment = new TestDeployment(Clients);
        // a run the attack left unable to train ends early (a round fails for good): its last accuracy counts
        await InProcessDeployment.RunAsync(deployment, Config(aggregator, deployment.RunFolder).With(RunSettings.MinClients, minClients), attack is null ? null
            : (Clients - 1, (port, id, token) => HostileClient.RunAsync(port, id, token, attack, Patience)));
        var lastRound = File.ReadLines(Path.Combine(deployment.RunFolder, "metrics.jsonl")).Last();
        return System.Text.Json.JsonDocument.Parse(lastRound).RootElement.GetProperty("test_accuracy").GetDouble();
    }

    private static async Task<double> HonestAsync(string aggregator)
    {
        if (!HonestAccuracy.TryGetValue(aggregator, out double accuracy))
            HonestAccuracy[aggregator] = accuracy = await FinalAccuracyAsync(aggregator, attack: null);
        return accuracy;
    }

    [Theory]
    [InlineData(int.MaxValue, 1f)]
    [InlineData(null, 1e4f)]
    [InlineData(null, -10f)]
    public async Task WithTheCapAndATrimmedMeanAnAttackerCannotSteerTheModel(int? declaredSamples, float updateScale)
    {
        double honest = await HonestAsync("trimmed-mean");
        double attacked = await FinalAccuracyAsync("trimmed-mean", new Attack(declaredSamples, updateScale));
        Assert.True(honest > 0.5, $"the honest deployment reached only {honest:P1}");
        Console.WriteLine($"attack ({declaredSamples}, x{updateScale}) against trimmed-mean and the cap: {attacked:P1}, honest {honest:P1}");
        Assert.True(attacked >= honest - 0.05, $"attacked {attacked:P1}, honest {honest:P1}");
    }

    [Fact]
    public async Task WithThePlainMeanAndNoCapAScaledUpdateWrecksTheModel()
    {
        double honest = await HonestAsync("mean");
        double attacked = await FinalAccuracyAsync("mean", new Attack(null, 1e4f));
        Assert.True(honest > 0.5, $"the honest deployment reached only {honest:P1}");
        Console.WriteLine($"attack x1e4 against the plain mean: {attacked:P1}, honest {honest:P1}");
        Assert.True(attacked < honest - 0.3, $"attacked {attacked:P1}, honest {honest:P1}: the attack should have done damage");
    }

    [Fact]
    public async Task AnUpdateThatIsNotFiniteNeverReachesTheModelEvenThroughThePlainMean()
    {
        double honest = await HonestAsync("mean");
        // the five honest clients make the rounds: the NaN update is refused on arrival, every round
        double attacked = await FinalAccuracyAsync("mean", new Attack(null, float.NaN), minClients: Clients - 1);
        Console.WriteLine($"a NaN update against the plain mean: {attacked:P1}, honest {honest:P1}");
        Assert.True(attacked >= honest - 0.05, $"attacked {attacked:P1}, honest {honest:P1}");
    }
}
