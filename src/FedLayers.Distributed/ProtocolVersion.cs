using System.Reflection;

namespace FedLayers.Distributed;

/// <summary>What a client and a server must agree on before a session starts.</summary>
public static class ProtocolVersion
{
    /// <summary>The wire protocol's version; a server refuses a client that speaks another.</summary>
    public const int Current = 2;

    /// <summary>This build's FedLayers version, sent both ways so that a refusal can name both.</summary>
    public static string FedLayers { get; } =
        typeof(ProtocolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
