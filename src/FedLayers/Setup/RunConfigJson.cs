using System.Text.Json;
using System.Text.Json.Nodes;

namespace FedLayers.Setup;

/// <summary>
/// Reads and writes <see cref="RunConfig"/> as a JSON object with one key per setting, and layers
/// the sources: built-in defaults, then a configuration file, then command-line options.
/// </summary>
public static class RunConfigJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Every setting with its value, in the registries' order.</summary>
    public static JsonObject ToJson(RunConfig config)
    {
        var json = new JsonObject();
        foreach (var setting in config.Registries.Settings) json[setting.Name] = setting.Write(config.ValueOf(setting));
        return json;
    }

    /// <summary><see cref="ToJson"/> as indented JSON text: the content of a run folder's config.json.</summary>
    public static string Serialize(RunConfig config) => ToJson(config).ToJsonString(Indented);

    /// <summary>A whole configuration as <see cref="Serialize"/> wrote it (keys a newer version added take their defaults);
    /// <paramref name="source"/> names where it came from in errors.</summary>
    public static RunConfig Deserialize(string json, string source, Registries registries)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{source}: not a FedLayers configuration ({e.Message.Split(". ")[0]})");
        }
        if (node is not JsonObject obj) throw new UserInputException($"{source}: not a FedLayers configuration (expected a JSON object)");
        return Overlay(RunConfig.Defaults(registries), obj, key => $"{source}: '{key}'");
    }

    /// <summary>Defaults, overlaid by the file's keys (if a file is given), overlaid by <paramref name="overrides"/>.</summary>
    /// <param name="registries">the settings that exist and their defaults.</param>
    /// <param name="configFile">a --config JSON file, or null.</param>
    /// <param name="overrides">setting name -> value given on the command line, already read by the setting.</param>
    public static RunConfig Resolve(Registries registries, string? configFile, IReadOnlyDictionary<Setting, object?> overrides)
    {
        var config = RunConfig.Defaults(registries);
        var file = configFile is null ? null : ReadFile(configFile);
        if (file is not null) config = Overlay(config, file, key => $"--config {configFile}: '{key}'");
        foreach (var (setting, value) in overrides) config = config.WithValue(setting, value);
        // asking for epochs means epochs: the default step count only applies when neither is given
        bool Given(Setting s) => overrides.ContainsKey(s) || file?.ContainsKey(s.Name) == true;
        if (Given(RunSettings.LocalEpochs) && !Given(RunSettings.LocalSteps)) config = config.With(RunSettings.LocalSteps, null);
        return config;
    }

    /// <summary>Settings that do not change a run's numbers (how it waits for clients, where and how fast it computes).</summary>
    private static IEnumerable<Setting> Operational(Registries registries) => registries.Settings.Where(s => s.Operational);

    /// <summary>Refuses to resume the run of <paramref name="savedConfigFile"/> with a configuration that would change its
    /// results; only the operational settings and --rounds (to go on for more rounds) may differ.</summary>
    public static void CheckResumable(string savedConfigFile, RunConfig config)
    {
        var saved = Deserialize(File.ReadAllText(savedConfigFile), savedConfigFile, config.Registries);
        if (FirstDifference(saved, config, [RunSettings.Rounds]) is { } key)
            throw new UserInputException($"--resume: --{key.Name} {key.Now} differs from {key.Before} in {savedConfigFile}; a run resumes with " +
                                         $"the configuration it started with (only {string.Join(", ", Operational(config.Registries).Prepend(RunSettings.Rounds).Select(s => s.Option))} may change)");
    }

    /// <summary>The first setting, other than the operational ones and <paramref name="alsoIgnored"/>, whose value differs
    /// between two configurations, or null if none.</summary>
    public static (string Name, string Before, string Now)? FirstDifference(RunConfig before, RunConfig now, IReadOnlyList<Setting>? alsoIgnored = null)
    {
        foreach (var setting in now.Registries.Settings)
        {
            if (setting.Operational || alsoIgnored?.Contains(setting) == true) continue;
            var (a, b) = (setting.Write(before.ValueOf(setting)), setting.Write(now.ValueOf(setting)));
            if (!JsonNode.DeepEquals(a, b)) return (setting.Name, a?.ToJsonString() ?? "null", b?.ToJsonString() ?? "null");
        }
        return null;
    }

    private static RunConfig Overlay(RunConfig config, JsonObject json, Func<string, string> where)
    {
        var byName = config.Registries.Settings.ToDictionary(s => s.Name);
        foreach (var (key, value) in json)
        {
            if (!byName.TryGetValue(key, out var setting))
                throw new UserInputException($"{where(key)}: unknown key; expected any of {string.Join(", ", byName.Keys)}");
            config = config.WithValue(setting, setting.Read(value, $"{where(key)} (or {setting.Option})"));
        }
        return config;
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
        return node as JsonObject ?? throw new UserInputException($"--config {path}: expected a JSON object of option names and values");
    }
}
