using System.Security.Cryptography.X509Certificates;
using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Reporting;
using FedLayers.Setup;

namespace FedLayers.Distributed;

/// <summary>Where <c>fedlayers serve</c> listens, whom it lets in, and how.</summary>
/// <param name="Listen">HOST:PORT to listen on (<see cref="FederationHost.ParseListen"/>).</param>
/// <param name="Certificate">the TLS certificate with its key; null for plain text (tests on one machine only).</param>
/// <param name="Clients">the clients that may join, with their tokens.</param>
/// <param name="Resume">whether to continue the run in the configuration's folder from its checkpoint.</param>
public sealed record ServeSettings(string Listen, X509Certificate2? Certificate, ClientsFile Clients, bool Resume);

/// <summary>
/// The server of a deployment: the same <see cref="FederationSetup"/> and server loop as a simulation,
/// with its clients in other processes reached over gRPC.
/// </summary>
public static class Deployment
{
    /// <summary>A failed round is tried again after this pause, so that clients that dropped out can come back.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(2);

    /// <summary>The cap on one client's share of a layer when the configuration sets none: a deployed client declares its own
    /// sample count, and no declaration may make it more than half of any layer's update (simulations count their own samples).</summary>
    public const double DefaultMaxClientWeight = 0.5;

    /// <summary>Listens, runs every round once enough clients are connected, tells the clients the run is over, and returns.</summary>
    /// <param name="config">the run; its number of clients becomes the number in the clients file.</param>
    /// <param name="settings">where to listen and whom to let in.</param>
    /// <param name="sinks">receive the rounds, besides the run folder's own files.</param>
    /// <param name="log">receives progress lines and warnings.</param>
    /// <param name="cancellation">stops the run; serving again with <see cref="ServeSettings.Resume"/> continues from the last checkpoint.</param>
    /// <returns>The run's summary.</returns>
    /// <exception cref="UserInputException">The configuration, the data or the listen address is refused.</exception>
    public static async Task<RunSummary> ServeAsync(RunConfig config, ServeSettings settings, IReadOnlyList<IRoundSink> sinks,
        Action<string> log, CancellationToken cancellation)
    {
        config = config.With(RunSettings.Clients, settings.Clients.Ids.Count)
            .With(RunSettings.MaxClientWeight, config.Get(RunSettings.MaxClientWeight) ?? DefaultMaxClientWeight);
        config.Validate();
        using var data = DataLoading.Load(config);
        using var setup = FederationSetup.Build(config, data, message => log($"warning: {message}"));
        IReadOnlyList<Protocol.TensorSpec> signature;
        using (var initial = ModelState.Capture(setup.Model)) signature = ModelSignature.Of(initial);
        var identity = new ServerIdentity(settings.Clients, RunConfigJson.Serialize(setup.Config.With(RunSettings.Out, null)), signature,
            setup.Model.SelectableGroups.Count);
        var clients = new ConnectedClients(settings.Clients.Ids.Count, log);
        await using var host = await FederationHost.StartAsync(settings.Listen, settings.Certificate, new FederationService(identity, clients, log));
        log($"listening on {settings.Listen} ({(settings.Certificate is null ? "plain text" : "TLS")}) for {settings.Clients.Ids.Count} clients");
        var summary = await setup.RunServerAsync(new GrpcClientChannel(clients, setup.Model.Groups, setup.Config.Get(RunSettings.TransferDtypeChoice)), settings.Resume, writePartition: false,
            sinks, cancellation, RetryPause, overlapEvaluation: true); // the clients train on their own machines' modules
        await clients.FinishAllAsync("the run is complete");
        return summary;
    }
}
