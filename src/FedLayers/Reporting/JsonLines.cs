using System.Text.Json;

namespace FedLayers.Reporting;

/// <summary>Shared JSON settings: snake_case names, as in the run folder's documented files.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}

/// <summary>Appends one JSON object per line and flushes it, so a killed run keeps every finished round.</summary>
public sealed class JsonLinesWriter(string path)
{
    public void Append(object value) => File.AppendAllText(path, JsonSerializer.Serialize(value, Json.Options) + "\n");
}
