using FedLayers.Federation;
using FedLayers.Selection;

namespace FedLayers.Bench;

/// <summary>In-process clients, one of which lies: it trains as the others do, then declares another sample count or
/// scales its real update before the server sees it.</summary>
/// <param name="inner">the honest clients.</param>
/// <param name="attacker">the lying client's id.</param>
/// <param name="declaredSamples">the sample count it claims; null: the truth.</param>
/// <param name="updateScale">what its update is multiplied by.</param>
public sealed class AttackingChannel(IClientChannel inner, int attacker, int? declaredSamples, float updateScale) : IClientChannel
{
    /// <inheritdoc/>
    public IReadOnlyList<ClientDescriptor> Clients => inner.Clients;

    /// <inheritdoc/>
    public IReadOnlySet<int> Available => inner.Available;

    /// <inheritdoc/>
    public long? SentBytes => inner.SentBytes;

    /// <inheritdoc/>
    public Task WaitForClientsAsync(int count, CancellationToken cancellation) => inner.WaitForClientsAsync(count, cancellation);

    /// <inheritdoc/>
    public Task WaitForClientAsync(int clientId, CancellationToken cancellation) => inner.WaitForClientAsync(clientId, cancellation);

    /// <inheritdoc/>
    public Task<LayerProbe> ProbeAsync(ProbeRequest request, CancellationToken cancellation) => inner.ProbeAsync(request, cancellation);

    /// <inheritdoc/>
    public async Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation)
    {
        var update = await inner.FitAsync(request, cancellation);
        if (request.ClientId != attacker) return update;
        foreach (var delta in update.Deltas.Values.Where(d => d.is_floating_point())) delta.mul_(updateScale);
        // the new update owns the same (scaled) tensors; the old one is dropped without disposing them
        return new ClientUpdate(update.ClientId, declaredSamples ?? update.SampleCount, update.TrainedGroups, update.Deltas, update.TrainLoss,
            update.TrainingFlops);
    }
}
