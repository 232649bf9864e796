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
    /// <returns>whether the run completed; false when a round failed for good (no client could train).</returns>
    public static async Task<bool> RunAsync(TestDeployment deployment, RunConfig config,
        (int Client, Func<int, string, string, Task> Run)? impostor = null)
    {
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = Task.Run(() => Deployment.ServeAsync(config,
            new ServeSettings($"127.0.0.1:{deployment.Port}", null, ClientsFile.Read(deployment.ClientsFile), Resume: false), [],
            message => { if (message.StartsWith("listening")) listening.TrySetResult(); }, CancellationToken.None));
        await Task.WhenAny(listening.Task, server).WaitAsync(Patience);
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, deployment.Tokens.Count).Select(i => impostor is { } other && other.Client == i
            ? Task.Run(() => other.Run(deployment.Port, TestDeployment.Id(i), deployment.Tokens[i]))
            : Task.Run(async () =>
            {
                using var agent = new ClientAgent(new JoinOptions(new Uri($"http://127.0.0.1:{deployment.Port}"), TestDeployment.Id(i),
                    deployment.Tokens[i], null, null, "cpu", TimeSpan.FromSeconds(30), config.Registries), _ => { });
                await agent.RunAsync(stop.Token);
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
}
