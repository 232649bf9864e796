using FedLayers.Distributed.Protocol;
using FedLayers.Federation;

namespace FedLayers.Distributed;

/// <summary>
/// The sessions of the clients connected now, by their position in the clients file. A client that
/// connects again replaces its old session (it resumes with its id); one that disconnects stops
/// being available until it comes back.
/// </summary>
/// <param name="clientCount">the number of clients in the clients file.</param>
/// <param name="log">receives a line for every connection, disconnection and wait.</param>
public sealed class ConnectedClients(int clientCount, Action<string> log)
{
    private readonly object gate = new();
    private readonly Dictionary<int, ClientSession> sessions = [];
    private readonly int[] sampleCounts = new int[clientCount];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long sentBytes;

    /// <summary>The number of clients in the clients file.</summary>
    public int ClientCount { get; } = clientCount;

    /// <summary>The positions of the clients connected now (a copy).</summary>
    public IReadOnlySet<int> Available
    {
        get { lock (gate) return sessions.Keys.ToHashSet(); }
    }

    /// <summary>Every client of the file with its training samples as it last said (0 if it never connected).</summary>
    public IReadOnlyList<ClientDescriptor> Descriptors
    {
        get { lock (gate) return sampleCounts.Select((n, id) => new ClientDescriptor(id, n)).ToList(); }
    }

    /// <summary>Tensor bytes sent to all clients so far.</summary>
    public long SentBytes => Interlocked.Read(ref sentBytes);

    /// <summary>Adds <paramref name="bytes"/> to <see cref="SentBytes"/>; safe from any thread.</summary>
    public void CountSent(long bytes) => Interlocked.Add(ref sentBytes, bytes);

    /// <summary>The session of the client at <paramref name="index"/>, or null when it is not connected.</summary>
    public ClientSession? Get(int index)
    {
        lock (gate) return sessions.GetValueOrDefault(index);
    }

    /// <summary>Makes <paramref name="session"/> its client's session, closing an earlier one of the same client.</summary>
    public void Add(ClientSession session)
    {
        ClientSession? old;
        lock (gate)
        {
            old = sessions.GetValueOrDefault(session.Index);
            sessions[session.Index] = session;
            sampleCounts[session.Index] = session.SampleCount;
            Signal();
        }
        old?.Close("replaced by a new connection of the same client");
        log($"client {session.Id} (#{session.Index}) connected with {session.SampleCount} training samples; {Available.Count} of {ClientCount} connected");
    }

    /// <summary>Removes <paramref name="session"/> if it is still its client's and fails its pending task with <paramref name="reason"/>.</summary>
    public void Remove(ClientSession session, string reason)
    {
        lock (gate)
        {
            if (sessions.GetValueOrDefault(session.Index) != session) return;
            sessions.Remove(session.Index);
            Signal();
        }
        session.Close(reason);
        log($"client {session.Id} (#{session.Index}) {reason}; {Available.Count} of {ClientCount} connected");
    }

    /// <summary>Returns once at least <paramref name="count"/> clients are connected.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired first.</exception>
    public Task WaitForAsync(int count, CancellationToken cancellation) =>
        WaitUntilAsync(() => sessions.Count >= count, $"waiting for {count} clients to connect", cancellation);

    /// <summary>Returns once the client at <paramref name="index"/> is connected, at once if it is now.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired first.</exception>
    public Task WaitForClientAsync(int index, CancellationToken cancellation) =>
        WaitUntilAsync(() => sessions.ContainsKey(index), $"waiting for sampled client #{index} to connect", cancellation);

    /// <summary>Returns once <paramref name="holds"/> (called under the lock) is true; logs <paramref name="waiting"/> once if it is not yet.</summary>
    private async Task WaitUntilAsync(Func<bool> holds, string waiting, CancellationToken cancellation)
    {
        bool said = false;
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (holds()) return;
                next = changed.Task;
            }
            if (!said) log($"{waiting} ({Available.Count} connected)");
            said = true;
            await next.WaitAsync(cancellation);
        }
    }

    /// <summary>Tells every connected client that the run is over.</summary>
    public Task FinishAllAsync(string reason)
    {
        List<ClientSession> all;
        lock (gate) all = [.. sessions.Values];
        return Task.WhenAll(all.Select(s => s.FinishAsync(reason)));
    }

    private void Signal()
    {
        changed.TrySetResult();
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
