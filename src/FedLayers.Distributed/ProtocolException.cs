namespace FedLayers.Distributed;

/// <summary>A peer sent something the protocol does not allow (an unexpected message, a tensor that was
/// not asked for, a wrong shape, a value that is not finite). The message says what, for the log.</summary>
internal sealed class ProtocolException(string message) : Exception(message);
