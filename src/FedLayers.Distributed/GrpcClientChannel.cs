using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Selection;

namespace FedLayers.Distributed;

/// <summary>
/// The server loop's clients when they are other processes (<c>fedlayers join</c>), reached through
/// their sessions. A client that is not connected, disconnects, or sends something wrong fails with
/// <see cref="ClientFailedException"/>; the server loop leaves it out of the round.
/// </summary>
/// <param name="clients">the connected clients' sessions.</param>
/// <param name="groups">the model's layer groups, which say which tensors an update of given groups carries.</param>
/// <param name="transfer">the format the weights and updates travel in.</param>
public sealed class GrpcClientChannel(ConnectedClients clients, IReadOnlyList<LayerGroup> groups, TransferDtype transfer = TransferDtype.Float32)
    : IClientChannel
{
    private readonly object gate = new();
    private GlobalSnapshot? snapshot;

    /// <inheritdoc/>
    public IReadOnlyList<ClientDescriptor> Clients => clients.Descriptors;

    /// <inheritdoc/>
    public IReadOnlySet<int> Available => clients.Available;

    /// <summary>The tensor bytes sent to all clients so far.</summary>
    public long? SentBytes => clients.SentBytes;

    /// <inheritdoc/>
    public Task WaitForClientsAsync(int count, CancellationToken cancellation) => clients.WaitForAsync(count, cancellation);

    /// <inheritdoc/>
    public Task WaitForClientAsync(int clientId, CancellationToken cancellation) => clients.WaitForClientAsync(clientId, cancellation);

    /// <inheritdoc/>
    public Task<LayerProbe> ProbeAsync(ProbeRequest request, CancellationToken cancellation) =>
        Session(request.ClientId).ProbeAsync(Snapshot(request.Round, request.Global), request.ProbeBatches, cancellation);

    /// <inheritdoc/>
    public Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation)
    {
        var global = Snapshot(request.Round, request.Global);
        var specs = groups.Where(g => request.TrainedGroups.Contains(g.Name)).SelectMany(g => g.TensorNames)
            .ToDictionary(name => name, name => global.Tensors[name].Spec);
        return Session(request.ClientId).FitAsync(global, request.TrainedGroups, specs, cancellation);
    }

    private ClientSession Session(int clientId) =>
        clients.Get(clientId) ?? throw new ClientFailedException(clientId, "is not connected");

    /// <summary>The global weights change only between rounds (aggregation ends a round), so they are serialised and hashed once per round.</summary>
    private GlobalSnapshot Snapshot(int round, ModelState global)
    {
        lock (gate)
        {
            if (snapshot?.Round != round) snapshot = new GlobalSnapshot(round, global, transfer);
            return snapshot;
        }
    }
}
