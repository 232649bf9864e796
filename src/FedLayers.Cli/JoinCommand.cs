using System.CommandLine;
using FedLayers.Distributed;
using FedLayers.Setup;
using TorchSharp;

namespace FedLayers.Cli;

/// <summary><c>fedlayers join</c>: one client of a deployment, training on its own data what the server assigns.</summary>
public static class JoinCommand
{
    public static Command Create(Registries registries, TextWriter output, TextWriter error)
    {
        var server = new Option<string>("--server") { Description = "The server's address, https://HOST:PORT.", Required = true };
        var clientId = new Option<string>("--client-id") { Description = "This client's name in the server's clients file.", Required = true };
        var token = new Option<string>("--token") { Description = "This client's secret (fedlayers token); default: the FEDLAYERS_TOKEN environment variable." };
        var caCert = new Option<string>("--ca-cert") { Description = "PEM certificate the server's certificate must chain to (default: the system's trusted roots)." };
        var insecure = new Option<bool>("--insecure") { Description = "Plain text without TLS (an http:// address), for tests on one machine only." };
        var dataset = new Option<string>("--dataset") { Description = "This client's own data (any simulate --dataset); default: the server's dataset, shard at this client's position." };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (default cpu).", DefaultValueFactory = _ => "cpu" };
        var threads = new SettingOption<int?>(RunSettings.Threads);
        var prefixCache = new SettingOption<int?>(RunSettings.PrefixCacheMb, "Memory this machine keeps frozen-prefix outputs in from round to " +
            "round, in MiB (0: none); results are the same either way (default: the server's --prefix-cache-mb).");
        var retry = new SettingOption<double>(Setting.Number("retry-seconds", 120, "How long to keep trying to reach the server, in seconds.", min: 0));
        var command = new Command("join", "Join a deployment as one client: train the layers the server assigns on this machine's data.")
        {
            server, clientId, token, caCert, insecure, dataset, device, threads.Option, prefixCache.Option, retry.Option,
        };
        command.SetAction(parse =>
        {
            var secret = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("FEDLAYERS_TOKEN")
                         ?? throw new UserInputException("--token: needed (or the FEDLAYERS_TOKEN environment variable)");
            double retrySeconds = retry.Read(parse);
            int? threadCount = threads.Read(parse);
            bool plain = parse.GetValue(insecure);
            var address = Transport.ServerAddress(parse.GetValue(server)!, plain, error);
            if (plain && parse.GetValue(caCert) is not null) throw new UserInputException("--insecure: not used with --ca-cert; choose one");
            var options = new JoinOptions(address, parse.GetValue(clientId)!, secret, Transport.CaCertificate(parse.GetValue(caCert)),
                parse.GetValue(dataset), parse.GetValue(device)!, TimeSpan.FromSeconds(retrySeconds), registries, prefixCache.Read(parse));
            torch.set_num_threads(threadCount ?? Environment.ProcessorCount);
            var log = ServeCommand.Log(output);
            log($"fedlayers join: client {options.ClientId} -> {address}");
            using var agent = new ClientAgent(options, log);
            agent.RunAsync(CancellationToken.None).GetAwaiter().GetResult();
            return 0;
        });
        return command;
    }
}
