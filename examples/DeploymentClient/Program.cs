using System.Security.Cryptography.X509Certificates;
using FedLayers.Data;
using FedLayers.Distributed;
using FedLayers.Models;
using FedLayers.Setup;
using static TorchSharp.torch;

namespace FedLayers.Examples.DeploymentClient;

/// <summary>
/// A deployment whose model is your own. The server and every client must know the model, so this one program
/// is both: it registers the model and the data, then serves or joins.
/// <code>
/// DeploymentClient serve HOST:PORT CLIENTS_FILE RUN_FOLDER [ROUNDS] [TLS_CERT TLS_KEY]
/// DeploymentClient join https://HOST:PORT CLIENT_ID TOKEN [CA_CERT]
/// </code>
/// Without a certificate the connection is plain text, for a try on one machine only.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var registries = Registries.BuiltIn();
        registries.Models.Add(new ModelEntry("sensor-net", "A four-stage MLP over 16 sensor readings.", data => CustomModel.Staged("sensor-net", data.NumClasses,
        [
            new("embed", LayerRole.Fixed, nn.Linear(16, 32)),
            new("block1", LayerRole.Selectable, nn.Sequential(nn.ReLU(), nn.Linear(32, 32))),
            new("block2", LayerRole.Selectable, nn.Sequential(nn.ReLU(), nn.Linear(32, 32))),
            new("head", LayerRole.Common, nn.Sequential(nn.ReLU(), nn.Linear(32, data.NumClasses))),
        ])));
        // every process builds the same synthetic data from the run's seed; a client trains its shard of it (a real
        // client would register a dataset that reads its own files and join with JoinOptions.Dataset naming it)
        registries.Datasets.Add(new DatasetEntry("sensors", "Readings of four sites.", data => ClientData.FromTensors(
            [.. Enumerable.Range(0, 4).Select(site => Readings(data.Seed, site, 120))], Readings(data.Seed, 4, 400), ["normal", "fault"])));
        if (args is ["serve", var listen, var clientsFile, var runFolder, ..])
        {
            var config = RunConfig.Defaults(registries).With(RunSettings.Model, "sensor-net").With(RunSettings.Dataset, "sensors")
                .With(RunSettings.Partition, "domain").With(RunSettings.ClientsPerRound, 4).With(RunSettings.MaxLayers, 1)
                .With(RunSettings.Rounds, args.Length > 4 ? int.Parse(args[4]) : 10).With(RunSettings.Strategy, "strategic")
                .With(RunSettings.Out, runFolder);
            var certificate = args.Length > 6 ? X509Certificate2.CreateFromPemFile(args[5], args[6]) : null;
            var summary = await Deployment.ServeAsync(config, new ServeSettings(listen, certificate, ClientsFile.Read(clientsFile), Resume: false),
                [], Console.WriteLine, CancellationToken.None);
            Console.WriteLine($"test accuracy {summary.InitialAccuracy:P1} -> {summary.FinalAccuracy:P1}");
            return 0;
        }
        if (args is ["join", var server, var clientId, var token, ..])
        {
            var ca = args.Length > 4 ? X509CertificateLoader.LoadCertificateFromFile(args[4]) : null;
            using var agent = new ClientAgent(new JoinOptions(new Uri(server), clientId, token, ca, Dataset: null, Device: "cpu",
                RetryFor: TimeSpan.FromSeconds(60), registries), Console.WriteLine);
            await agent.RunAsync(CancellationToken.None);
            return 0;
        }
        Console.Error.WriteLine("usage: DeploymentClient serve HOST:PORT CLIENTS_FILE RUN_FOLDER [ROUNDS] [TLS_CERT TLS_KEY] | join URL CLIENT_ID TOKEN [CA_CERT]");
        return 2;
    }

    /// <summary>Readings of one site: 16 values around a centre per class, with the site's own offset (the test set, site 4,
    /// sits in the middle of the four).</summary>
    private static (Tensor Inputs, Tensor Labels) Readings(int seed, int site, int count)
    {
        var noise = new Generator().manual_seed(seed * 1000 + site);
        var labels = randint(0, 2, [count], generator: noise);
        var centres = randn([2, 16], generator: new Generator().manual_seed(seed));
        return (centres[labels] + randn([count, 16], generator: noise) + 0.2 * (site < 4 ? site - 1.5 : 0), labels);
    }
}
