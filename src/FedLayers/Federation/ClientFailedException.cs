namespace FedLayers.Federation;

/// <summary>
/// One client could not take part in a round: it is not connected, it disconnected, it sent
/// something the server rejects, or it reported an error. The server leaves it out of the
/// round's aggregation and goes on with the others.
/// </summary>
public sealed class ClientFailedException(int clientId, string reason) : Exception($"client {clientId}: {reason}")
{
    /// <summary>The id of the client that failed.</summary>
    public int ClientId { get; } = clientId;

    /// <summary>What went wrong, for the log (the message also names the client).</summary>
    public string Reason { get; } = reason;
}
