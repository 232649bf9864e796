using System.Text.RegularExpressions;
using FedLayers.Distributed;
using FedLayers.Federation;
using FedLayers.Setup;

namespace FedLayers.Tests.Distributed;

/// <summary>
/// A deployment on 127.0.0.1 whose server and clients run in the test process (no process start-up): every message still
/// goes over gRPC. Client <c>i</c> runs <c>join</c>'s <see cref="ClientAgent"/> unless <paramref name="impostor"/> takes its place.
/// </summary>
internal static class InProcessDeployment
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>Serves <paramref name="config"/> (its Out is the run folder) to <paramref name="deployment"/>'s clients until the run ends.</summary>
    /// <param name="impostor">null, or the client id of a client that runs the given task instead of <c>join</c> (port, id, token).</param>
    /// <param name="oneByOne">client i starts only once client i - 1 has connected, so the server may begin with fewer than all.</param>
    /// <returns>whether the run completed; false when a round failed for good (no client could train).</returns>
    public static async Task<bool> RunAsync(TestDeployment deployment, RunConfig config,
        (int Client, Func<int, string, string, Task> Run)? impostor = null, bool oneByOne = false)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var connected = deployment.Tokens.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        var server = Task.Run(() => Deployment.ServeAsync(config,
            new ServeSettings($"127.0.0.1:{deployment.Port}", null, ClientsFile.Read(deployment.ClientsFile), Resume: false), [],
            message =>
            {
                if (message.StartsWith("listening")) listening.TrySetResult();
                if (Regex.Match(message, @"\(#(\d+)\) connected") is { Success: true } client) connected[int.Parse(client.Groups[1].Value)].TrySetResult();
            }, CancellationToken.None));
        await Task.WhenAny(listening.Task, server).WaitAsync(Patience);
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, deployment.Tokens.Count).Select(i => Task.Run(async () =>
        {
            if (oneByOne && i > 0 && await Task.WhenAny(connected[i - 1].Task, server) == server) return; // the run ended without it
            await (impostor is { } other && other.Client == i
                ? other.Run(deployment.Port, TestDeployment.Id(i), deployment.Tokens[i])
                : JoinAsync(deployment, config, i, stop.Token));
        })).ToList();
        bool completed = true;
        try
        {
            await server.WaitAsync(Patience);
        }
        catch (RoundFailedException)
        {
            completed = false;
        }
        stop.Cancel();
        await Task.WhenAll(clients.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(Patience);
        return completed;
    }

    /// <summary>Client <paramref name="client"/> running <c>join</c>'s agent until the server says Finish or <paramref name="stop"/> fires.</summary>
    private static async Task JoinAsync(TestDeployment deployment, RunConfig config, int client, CancellationToken stop)
    {
        using var agent = new ClientAgent(new JoinOptions(new Uri($"http://127.0.0.1:{deployment.Port}"), TestDeployment.Id(client),
            deployment.Tokens[client], null, null, "cpu", TimeSpan.FromSeconds(30), config.Registries), _ => { });
        await agent.RunAsync(stop);
    }
}
