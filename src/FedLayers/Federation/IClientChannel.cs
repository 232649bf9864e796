using FedLayers.Selection;

namespace FedLayers.Federation;

/// <summary>A client as the server knows it.</summary>
public sealed record ClientDescriptor(int Id, int SampleCount);

/// <summary>Ask one client for its gradient statistics at the given global weights.</summary>
public sealed record ProbeRequest(int Round, int ClientId, ModelState Global, int ProbeBatches);

/// <summary>Ask one client to train <paramref name="TrainedGroups"/> from the given global weights.</summary>
public sealed record FitRequest(int Round, int ClientId, ModelState Global, IReadOnlyList<string> TrainedGroups);

/// <summary>
/// How the server reaches its clients. The server loop does not know whether the clients
/// live in this process (simulation) or on other machines (deployment).
/// </summary>
public interface IClientChannel
{
    IReadOnlyList<ClientDescriptor> Clients { get; }

    Task<LayerProbe> ProbeAsync(ProbeRequest request, CancellationToken cancellation);

    Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation);
}
