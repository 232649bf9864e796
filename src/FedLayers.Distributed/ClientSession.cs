using FedLayers.Distributed.Protocol;
using FedLayers.Federation;
using FedLayers.Selection;
using Grpc.Core;

namespace FedLayers.Distributed;

/// <summary>
/// The server's side of one connected client: sends it one task at a time with the global tensors
/// it does not hold yet, and turns its answer into a probe or an update after checking it. Any
/// violation fails the task with <see cref="ClientFailedException"/>, so nothing the client sent
/// reaches the global model.
/// </summary>
/// <param name="index">the client's position in the clients file, its client id in the run.</param>
/// <param name="id">the client's name in the clients file.</param>
/// <param name="sampleCount">the training samples the client said it has; every update must claim the same.</param>
/// <param name="selectableLayers">the model's selectable layers: the length of every probe vector.</param>
/// <param name="writer">the session's stream to the client.</param>
/// <param name="countSent">told the bytes of every tensor chunk sent, for the round's download total.</param>
/// <param name="log">receives a line for every rejected message.</param>
public sealed class ClientSession(int index, string id, int sampleCount, int selectableLayers, IServerStreamWriter<ServerMessage> writer,
    Action<long> countSent, Action<string> log)
{
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly object gate = new();
    // the hash of every global tensor as this client last received it; empty after a new connection
    private readonly Dictionary<string, byte[]> clientHolds = [];
    private long lastTaskId;
    private PendingTask? pending;

    private sealed class PendingTask(long taskId, TrainingTask.Types.Kind kind, IReadOnlyList<string> groups,
        IReadOnlyDictionary<string, TensorSpec> deltaSpecs)
    {
        public long TaskId { get; } = taskId;
        public TrainingTask.Types.Kind Kind { get; } = kind;
        public IReadOnlyList<string> Groups { get; } = groups;
        public IReadOnlyDictionary<string, TensorSpec> DeltaSpecs { get; } = deltaSpecs;
        public TaskCompletionSource<object> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public FitResult? Header { get; set; }
        public TensorAssembler? Deltas { get; set; }
    }

    /// <summary>The client's position in the clients file, its client id in the run.</summary>
    public int Index { get; } = index;

    /// <summary>The client's name in the clients file.</summary>
    public string Id { get; } = id;

    /// <summary>The training samples the client said it has.</summary>
    public int SampleCount { get; } = sampleCount;

    /// <summary>Has the client probe the global weights on <paramref name="probeBatches"/> batches and returns its checked statistics.</summary>
    /// <exception cref="ClientFailedException">The client is busy, disconnects, reports a failure or sends something invalid.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired (e.g. the round's deadline).</exception>
    public async Task<LayerProbe> ProbeAsync(GlobalSnapshot global, int probeBatches, CancellationToken cancellation) =>
        (LayerProbe)await RunAsync(new TrainingTask { Kind = TrainingTask.Types.Kind.Probe, Round = global.Round, ProbeBatches = probeBatches },
            [], new Dictionary<string, TensorSpec>(), global, cancellation);

    /// <summary>Has the client train <paramref name="groups"/> from the global weights and returns its checked update; the caller owns the update's tensors.</summary>
    /// <param name="global">the round's global weights; only tensors the client does not hold are sent.</param>
    /// <param name="groups">the layer groups the client trains.</param>
    /// <param name="deltaSpecs">the tensors of <paramref name="groups"/>: the only ones the update may carry, all of them.</param>
    /// <param name="cancellation">gives up waiting (e.g. at the round's deadline); the client's late answer is dropped.</param>
    /// <exception cref="ClientFailedException">The client is busy, disconnects, reports a failure or sends something invalid.</exception>
    public async Task<ClientUpdate> FitAsync(GlobalSnapshot global, IReadOnlyList<string> groups, IReadOnlyDictionary<string, TensorSpec> deltaSpecs,
        CancellationToken cancellation)
    {
        var task = new TrainingTask { Kind = TrainingTask.Types.Kind.Fit, Round = global.Round };
        task.TrainedGroups.AddRange(groups);
        return (ClientUpdate)await RunAsync(task, groups, deltaSpecs, global, cancellation);
    }

    private async Task<object> RunAsync(TrainingTask task, IReadOnlyList<string> groups, IReadOnlyDictionary<string, TensorSpec> deltaSpecs,
        GlobalSnapshot global, CancellationToken cancellation)
    {
        PendingTask mine;
        lock (gate)
        {
            if (pending is not null) throw new ClientFailedException(Index, "is still busy with an earlier task");
            task.TaskId = ++lastTaskId;
            pending = mine = new PendingTask(task.TaskId, task.Kind, groups, deltaSpecs);
        }
        try
        {
            // a client that stops reading must not hold the round past its deadline: the write may go on, the round does not wait
            await SendAsync(task, global, cancellation).WaitAsync(cancellation);
            return await mine.Result.Task.WaitAsync(cancellation);
        }
        finally
        {
            lock (gate) if (pending == mine) pending = null;
        }
    }

    /// <summary>The task, then the global tensors whose content differs from what the client holds.</summary>
    private async Task SendAsync(TrainingTask task, GlobalSnapshot global, CancellationToken cancellation)
    {
        await writeLock.WaitAsync(cancellation);
        try
        {
            var changed = global.Tensors.Where(t => !clientHolds.TryGetValue(t.Key, out var held) || !held.AsSpan().SequenceEqual(t.Value.Hash))
                .Select(t => t.Value).ToList();
            task.TensorCount = changed.Count;
            clientHolds.Clear(); // unknown until every tensor is written
            await writer.WriteAsync(new ServerMessage { Task = task }, CancellationToken.None);
            foreach (var tensor in changed)
                foreach (var chunk in TensorWire.Chunks(task.TaskId, tensor.Spec, tensor.Bytes))
                {
                    await writer.WriteAsync(new ServerMessage { Chunk = chunk }, CancellationToken.None);
                    countSent(chunk.Data.Length);
                }
            foreach (var (name, tensor) in global.Tensors) clientHolds[name] = tensor.Hash;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or RpcException)
        {
            throw new ClientFailedException(Index, $"disconnected while receiving its task ({e.Message})");
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>The client was told the run is over, so its disconnecting is expected.</summary>
    public bool Finished { get; private set; }

    /// <summary>Marks the session finished and tells the client the run is over; a client that is gone or stuck is not waited for long.</summary>
    /// <param name="reason">sent to the client, which logs it.</param>
    public async Task FinishAsync(string reason)
    {
        Finished = true;
        if (!await writeLock.WaitAsync(TimeSpan.FromSeconds(10))) return; // still busy writing to a client that stopped reading
        try
        {
            await writer.WriteAsync(new ServerMessage { Finish = new Finish { Reason = reason } }, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or RpcException)
        {
            // already gone: nothing to tell
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>One message from the client. Messages of a task that is no longer pending (it missed its deadline) are dropped.</summary>
    public void Receive(ClientMessage message)
    {
        PendingTask? task;
        lock (gate) task = pending;
        long taskId = message.BodyCase switch
        {
            ClientMessage.BodyOneofCase.ProbeResult => message.ProbeResult.TaskId,
            ClientMessage.BodyOneofCase.FitResult => message.FitResult.TaskId,
            ClientMessage.BodyOneofCase.Chunk => message.Chunk.TaskId,
            ClientMessage.BodyOneofCase.TaskFailed => message.TaskFailed.TaskId,
            _ => -1,
        };
        if (taskId < 0)
        {
            Reject(task, $"sent a {message.BodyCase} message in the middle of its session");
            return;
        }
        if (task is null || task.TaskId != taskId || task.Result.Task.IsCompleted) return;
        try
        {
            switch (message.BodyCase)
            {
                case ClientMessage.BodyOneofCase.TaskFailed:
                    throw new ClientFailedException(Index, $"reported: {message.TaskFailed.Reason}");
                case ClientMessage.BodyOneofCase.ProbeResult:
                    task.Result.TrySetResult(CheckProbe(task, message.ProbeResult));
                    break;
                case ClientMessage.BodyOneofCase.FitResult:
                    StartUpdate(task, message.FitResult);
                    break;
                case ClientMessage.BodyOneofCase.Chunk:
                    if (task.Deltas is null) throw new ProtocolException("sent a tensor before its fit result");
                    task.Deltas.Add(message.Chunk);
                    break;
            }
            if (task.Deltas is { Complete: true }) task.Result.TrySetResult(CompleteUpdate(task));
        }
        catch (ProtocolException e)
        {
            Reject(task, e.Message);
        }
        catch (ClientFailedException e)
        {
            task.Result.TrySetException(e);
        }
    }

    /// <summary>The connection ended: the pending task fails.</summary>
    public void Close(string reason)
    {
        PendingTask? task;
        lock (gate) task = pending;
        task?.Result.TrySetException(new ClientFailedException(Index, reason));
    }

    private void Reject(PendingTask? task, string reason)
    {
        log($"rejected client {Id} (#{Index}): {reason}");
        task?.Result.TrySetException(new ClientFailedException(Index, $"rejected: {reason}"));
    }

    private LayerProbe CheckProbe(PendingTask task, ProbeResult probe)
    {
        if (task.Kind != TrainingTask.Types.Kind.Probe) throw new ProtocolException("sent a probe result for a fit task");
        foreach (var (name, values) in new[] { ("squared_grad_norm", probe.SquaredGradNorm), ("relative_grad_norm", probe.RelativeGradNorm),
                     ("signal_to_noise", probe.SignalToNoise), ("mean_grad_squared_norm", probe.MeanGradSquaredNorm) })
        {
            if (values.Count != selectableLayers) throw new ProtocolException($"probe {name} has {values.Count} values, expected {selectableLayers}");
            if (values.Any(v => !double.IsFinite(v) || v < 0)) throw new ProtocolException($"probe {name} has a negative or non-finite value");
        }
        return new LayerProbe([.. probe.SquaredGradNorm], [.. probe.RelativeGradNorm], [.. probe.SignalToNoise], probe.Batches,
            [.. probe.MeanGradSquaredNorm]);
    }

    private void StartUpdate(PendingTask task, FitResult header)
    {
        if (task.Kind != TrainingTask.Types.Kind.Fit) throw new ProtocolException("sent a fit result for a probe task");
        if (task.Header is not null) throw new ProtocolException("sent two fit results for one task");
        if (!header.TrainedGroups.Order().SequenceEqual(task.Groups.Order()))
            throw new ProtocolException($"trained groups [{string.Join(", ", header.TrainedGroups)}], but was assigned [{string.Join(", ", task.Groups)}]");
        if (header.SampleCount != SampleCount)
            throw new ProtocolException($"claims {header.SampleCount} training samples, but said {SampleCount} when it joined");
        if (!double.IsFinite(header.TrainLoss) || !double.IsFinite(header.TrainingFlops) || header.TrainingFlops < 0)
            throw new ProtocolException("sent a non-finite train loss or training FLOPs");
        if (header.TensorCount != task.DeltaSpecs.Count)
            throw new ProtocolException($"announces {header.TensorCount} tensors; its {task.Groups.Count} groups have {task.DeltaSpecs.Count}");
        task.Header = header;
        task.Deltas = new TensorAssembler(task.DeltaSpecs, header.TensorCount);
    }

    private ClientUpdate CompleteUpdate(PendingTask task)
    {
        var header = task.Header!;
        var received = task.Deltas!.Tensors();
        long wireBytes = received.Values.Sum(t => t.numel() * t.ElementSize);
        // the server aggregates in float32, whatever the deltas travelled in: a half tensor is widened (and freed), any other kept
        var deltas = received.ToDictionary(d => d.Key, d =>
        {
            if (TransferRounding.Widened(d.Value) is not { } widened) return d.Value;
            d.Value.Dispose();
            return widened;
        });
        var update = new ClientUpdate(Index, SampleCount, task.Groups, deltas, header.TrainLoss, header.TrainingFlops, wireBytes);
        if (update.NotFinite() is not { } what) return update;
        update.Dispose();
        throw new ProtocolException($"sent values that are not finite in {what}");
    }

}
