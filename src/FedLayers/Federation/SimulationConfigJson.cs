using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FedLayers.Federation;

/// <summary>
/// Reads and writes <see cref="SimulationConfig"/> as JSON with kebab-case keys, and layers
/// the sources: built-in defaults, then a <c>--config</c> file, then command-line options.
/// </summary>
public static class SimulationConfigJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The keys a config file may use.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        JsonSerializer.SerializeToNode(new SimulationConfig(), Options)!.AsObject().Select(p => p.Key).ToList();

    public static string Serialize(SimulationConfig config) => JsonSerializer.Serialize(config, Options);

    /// <summary>A whole configuration as <see cref="Serialize"/> wrote it; <paramref name="source"/> names where it came from in errors.</summary>
    public static SimulationConfig Deserialize(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize<SimulationConfig>(json, Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{source}: not a FedLayers configuration ({e.Message.Split(". ")[0]})");
        }
    }

    /// <summary>Defaults, overlaid by the file's keys (if a file is given), overlaid by <paramref name="overrides"/>.</summary>
    /// <param name="overrides">option name without dashes -> value given on the command line.</param>
    public static SimulationConfig Resolve(string? configFile, IReadOnlyDictionary<string, JsonNode?> overrides)
    {
        var merged = JsonSerializer.SerializeToNode(new SimulationConfig(), Options)!.AsObject();
        var given = new JsonObject();
        if (configFile is not null)
            foreach (var (key, value) in ReadFile(configFile))
                given[key] = value?.DeepClone();
        foreach (var (key, value) in overrides)
            given[key] = value?.DeepClone();
        // asking for epochs means epochs: the default step count only applies when neither is given
        if (given.ContainsKey("local-epochs") && !given.ContainsKey("local-steps"))
            given["local-steps"] = null;
        foreach (var (key, value) in given)
            merged[key] = value?.DeepClone();
        try
        {
            return merged.Deserialize<SimulationConfig>(Options)!;
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{Source(configFile, e.Path)}: {Describe(e)}");
        }
    }

    /// <summary>Keys that do not change a run's numbers: how it waits for clients, and where and how fast it computes.</summary>
    private static readonly string[] Operational = ["min-clients", "round-timeout", "round-attempts", "device", "threads", "prefix-cache-mb", "out"];

    /// <summary>Refuses to resume the run of <paramref name="savedConfigFile"/> with a configuration that would change its
    /// results; only the operational keys and --rounds (to go on for more rounds) may differ.</summary>
    public static void CheckResumable(string savedConfigFile, SimulationConfig config)
    {
        var saved = Deserialize(File.ReadAllText(savedConfigFile), savedConfigFile);
        if (FirstDifference(saved, config, ["rounds"]) is { } key)
            throw new UserInputException($"--resume: --{key.Name} {key.Now} differs from {key.Before} in {savedConfigFile}; a run resumes with " +
                                         $"the configuration it started with (only {string.Join(", ", Operational.Prepend("rounds").Select(k => "--" + k))} may change)");
    }

    /// <summary>The first key, other than the operational ones and <paramref name="alsoIgnored"/>, whose value differs
    /// between two configurations (keys a configuration file lacks have their defaults), or null if none.</summary>
    public static (string Name, string Before, string Now)? FirstDifference(SimulationConfig before, SimulationConfig now, IReadOnlyList<string>? alsoIgnored = null)
    {
        var (a, b) = (JsonSerializer.SerializeToNode(before, Options)!.AsObject(), JsonSerializer.SerializeToNode(now, Options)!.AsObject());
        foreach (var (key, value) in b)
            if (!Operational.Contains(key) && alsoIgnored?.Contains(key) != true && !JsonNode.DeepEquals(a[key], value))
                return (key, a[key]?.ToJsonString() ?? "null", value?.ToJsonString() ?? "null");
        return null;
    }

    private static JsonObject ReadFile(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"--config: file '{path}' does not exist");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new UserInputException($"--config {path}: not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(". ")[0]}");
        }
        if (node is not JsonObject obj)
            throw new UserInputException($"--config {path}: expected a JSON object of option names and values");
        foreach (var key in obj.Select(p => p.Key))
            if (!Keys.Contains(key))
                throw new UserInputException($"--config {path}: unknown key '{key}'; expected any of {string.Join(", ", Keys)}");
        return obj;
    }

    private static string Source(string? configFile, string? path)
    {
        var key = path?.TrimStart('$', '.') ?? "";
        return configFile is null ? $"--{key}" : $"--config {configFile}: '{key}' (or --{key})";
    }

    private static string Describe(JsonException e) =>
        e.Message.Contains("could not be converted to", StringComparison.Ordinal)
            ? $"has the wrong type: {e.Message.Split(". Path")[0]}"
            : e.Message.Split(". Path")[0];
}
