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
/// live in this process (simulation) or on other machines (deployment). A client that cannot
/// answer throws <see cref="ClientFailedException"/>.
/// </summary>
public interface IClientChannel
{
    /// <summary>Every client the federation has, by id 0..N-1; a sample count is 0 until the client said it.</summary>
    IReadOnlyList<ClientDescriptor> Clients { get; }

    /// <summary>The clients that can be asked now.</summary>
    IReadOnlySet<int> Available { get; }

    /// <summary>Returns once at least <paramref name="count"/> clients are available.</summary>
    Task WaitForClientsAsync(int count, CancellationToken cancellation);

    /// <summary>Returns once the client <paramref name="clientId"/> is available, at once if it is now.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired first.</exception>
    Task WaitForClientAsync(int clientId, CancellationToken cancellation);

    /// <summary>Has the client of <paramref name="request"/> measure its gradient statistics at the given global weights.</summary>
    /// <exception cref="ClientFailedException">the client cannot answer.</exception>
    Task<LayerProbe> ProbeAsync(ProbeRequest request, CancellationToken cancellation);

    /// <summary>Has the client of <paramref name="request"/> train the requested groups; the caller disposes the update.</summary>
    /// <exception cref="ClientFailedException">the client cannot answer.</exception>
    Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation);

    /// <summary>Bytes of global weights sent to clients so far; null when nothing travels (in-process clients).</summary>
    long? SentBytes { get; }
}
