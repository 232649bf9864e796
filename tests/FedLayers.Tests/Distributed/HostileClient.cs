using FedLayers.Distributed;
using FedLayers.Distributed.Protocol;
using FedLayers.Setup;
using static TorchSharp.torch;

namespace FedLayers.Tests.Distributed;

/// <summary>How a hostile client lies: about its sample count, or by scaling the update it really computed.</summary>
/// <param name="DeclaredSamples">the sample count it claims at join and with every update; null: the truth.</param>
/// <param name="UpdateScale">what its real update is multiplied by before it is sent.</param>
public sealed record Attack(int? DeclaredSamples, float UpdateScale);

/// <summary>
/// A client that joins a deployment through the real protocol (authenticated, with the right model) and trains as
/// <c>join</c> would, on its own shard, but then sends what <see cref="Attack"/> says. Probes are not answered:
/// the runs it takes part in use a strategy that does not probe.
/// </summary>
internal static class HostileClient
{
    public static async Task RunAsync(int port, string clientId, string token, Attack attack, TimeSpan patience)
    {
        using var raw = new RawClient(port);
        await raw.HelloAsync(clientId, token);
        var welcome = (await raw.NextAsync(patience))!.Welcome ?? throw new InvalidOperationException("no Welcome");
        using var work = ClientWork.Build(welcome, dataset: null, "cpu", Registries.BuiltIn(), _ => { });
        int declared = attack.DeclaredSamples ?? work.SampleCount;
        await raw.ReadyAsync(declared, work.Signature);
        while (await raw.NextAsync(patience) is { } message && message.Finish is null)
        {
            if (message.Task is not { } task) continue;
            var global = new TensorAssembler(work.WireSpecs, task.TensorCount);
            while (!global.Complete) global.Add((await raw.NextAsync(patience))!.Chunk);
            foreach (var (name, tensor) in global.Tensors())
                using (tensor) work.Global[name].copy_(tensor);
            using var update = work.Fit(task.Round, [.. task.TrainedGroups]);
            var result = new FitResult { TaskId = task.TaskId, SampleCount = declared, TrainLoss = update.TrainLoss, TensorCount = update.Deltas.Count };
            result.TrainedGroups.AddRange(update.TrainedGroups);
            await raw.SendAsync(new ClientMessage { FitResult = result });
            foreach (var (name, delta) in update.Deltas)
            {
                using var forged = delta.is_floating_point() ? delta * attack.UpdateScale : delta.clone();
                foreach (var chunk in TensorWire.Chunks(task.TaskId, name, forged)) await raw.SendAsync(new ClientMessage { Chunk = chunk });
            }
        }
    }
}
