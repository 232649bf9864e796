using System.CommandLine;
using FedLayers.Distributed;
using FedLayers.Reporting;
using FedLayers.Setup;
using TorchSharp;
using static FedLayers.Setup.RunSettings;

namespace FedLayers.Cli;

/// <summary><c>fedlayers serve</c>: the server of a deployment, with its clients in other processes (<c>fedlayers join</c>).</summary>
public static class ServeCommand
{
    /// <summary>Without --round-timeout a deployed round still ends: a client that hangs is left out after this long.</summary>
    public const double DefaultRoundTimeoutSeconds = 1800;

    public static Command Create(Registries registries, TextWriter output, TextWriter error)
    {
        var command = new Command("serve", "Run the server of a deployment: clients join over gRPC from other processes or machines.");
        var options = new SimulationOptions(command, registries);
        var listen = new Option<string>("--listen") { Description = "HOST:PORT to listen on, e.g. 0.0.0.0:7443.", Required = true };
        var tlsCert = new Option<string>("--tls-cert") { Description = "PEM file of the server's TLS certificate." };
        var tlsKey = new Option<string>("--tls-key") { Description = "PEM file of the certificate's private key." };
        var clientsFile = new Option<string>("--clients-file") { Description = "One client per line: 'ID SECRET' or 'ID sha256:HEX' (see fedlayers token).", Required = true };
        var insecure = new Option<bool>("--insecure") { Description = "Plain text without TLS, for tests on one machine only." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint." };
        foreach (var option in new Option[] { listen, tlsCert, tlsKey, clientsFile, insecure, resume }) command.Options.Add(option);

        command.SetAction(parse =>
        {
            FederationHost.ParseListen(parse.GetValue(listen)!); // a typo fails now, not after the data has loaded
            bool resuming = parse.GetValue(resume);
            var config = options.Resolve(parse, resuming);
            if (!resuming) SettingUse.CheckEveryChangedSettingIsRead(config);
            config = config.With(Out, config.Get(Out) ?? RunFolder.DefaultPath())
                .With(RoundTimeout, config.Get(RoundTimeout) ?? DefaultRoundTimeoutSeconds);
            var clients = SettingErrors.Named("--clients-file", () => ClientsFile.Read(parse.GetValue(clientsFile)!));
            if (options.IsGiven(parse, Clients) && config.Get(Clients) != clients.Ids.Count)
                throw new UserInputException($"--clients: {config.Get(Clients)}, but --clients-file lists {clients.Ids.Count} clients; leave --clients out");
            var certificate = Transport.ServerCertificate(parse.GetValue(tlsCert), parse.GetValue(tlsKey), parse.GetValue(insecure), error);
            torch.set_num_threads(config.Get(Threads) ?? Environment.ProcessorCount);
            var log = Log(output);
            var progress = new ConsoleProgress(output, config.Get(Rounds));
            log($"fedlayers serve: {config.Get(Model)} on {config.Get(Dataset)}, strategy {config.Get(Strategy)}, {clients.Ids.Count} clients " +
                $"({config.Get(ClientsPerRound)} per round), {config.Get(Rounds)} rounds -> {config.Get(Out)}" + (resuming ? " (resuming)" : ""));
            var summary = Deployment.ServeAsync(config, new ServeSettings(parse.GetValue(listen)!, certificate, clients, resuming), [progress], log,
                CancellationToken.None).GetAwaiter().GetResult();
            SummaryTable.Write(output, summary, config.Get(Out)!);
            return 0;
        });
        return command;
    }

    /// <summary>Lines from the connection threads and the round loop, one at a time.</summary>
    internal static Action<string> Log(TextWriter output)
    {
        var gate = new object();
        return message => { lock (gate) output.WriteLine(message); };
    }
}
