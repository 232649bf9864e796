namespace FedLayers.Setup;

/// <summary>
/// The help text of a setting as the command line and the option reference in docs/ show it: its
/// own sentence, who reads it, the names it can take (for the settings that pick a registry entry),
/// and its default.
/// </summary>
public static class OptionHelp
{
    /// <summary>One paragraph: the setting's help, prefixed by the entries that read it; its choices; its default (not for a flag).</summary>
    /// <param name="setting">a run setting or a registry entry's.</param>
    /// <param name="registries">where the readers and choices are looked up.</param>
    public static string Describe(Setting setting, Registries registries)
    {
        var parts = new List<string>();
        var readers = registries.ReadersOf(setting);
        parts.Add(readers.Count == 0 ? setting.Help : $"{Capitalised(string.Join(", ", readers))}: {Uncapitalised(setting.Help)}");
        if (Choices(setting, registries) is { } choices) parts.Add($"One of: {string.Join(", ", choices)}.");
        parts.Add(setting.IsFlag ? "" : $"(default {setting.DefaultText})");
        return string.Join(" ", parts.Where(p => p.Length > 0));
    }

    /// <summary>The names a registry-selecting setting can take, or null for other settings.</summary>
    internal static IEnumerable<string>? Choices(Setting setting, Registries registries) =>
        registries.All.FirstOrDefault(r => r.SelectedBy == setting)?.Spellings;

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Uncapitalised(string text) => text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1])
        ? char.ToLowerInvariant(text[0]) + text[1..]
        : text;
}
