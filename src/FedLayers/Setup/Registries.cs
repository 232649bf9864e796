using System.Reflection;

namespace FedLayers.Setup;

/// <summary>
/// Everything a run's names can refer to: one registry each for strategies, models, datasets and
/// partitioners. <see cref="BuiltIn"/> holds FedLayers' own entries; a program adds its own to it
/// (a strategy, a model family, a dataset) and they become names a configuration and the command
/// line can use, with their settings as options.
/// </summary>
public sealed class Registries
{
    public Registries()
    {
        Strategies = new Registry<StrategyEntry>("strategy", RunSettings.Strategy, CheckSettings);
        Models = new Registry<ModelEntry>("model", RunSettings.Model, CheckSettings);
        Datasets = new Registry<DatasetEntry>("dataset", RunSettings.Dataset, CheckSettings);
        Partitioners = new Registry<PartitionerEntry>("partition", RunSettings.Partition, CheckSettings);
    }

    public Registry<StrategyEntry> Strategies { get; }
    public Registry<ModelEntry> Models { get; }
    public Registry<DatasetEntry> Datasets { get; }
    public Registry<PartitionerEntry> Partitioners { get; }

    /// <summary>New registries holding FedLayers' own strategies, models, datasets and partitioners.</summary>
    public static Registries BuiltIn()
    {
        var registries = new Registries();
        BuiltInStrategies.AddTo(registries.Strategies);
        BuiltInModels.AddTo(registries.Models);
        BuiltInDatasets.AddTo(registries.Datasets);
        BuiltInPartitioners.AddTo(registries.Partitioners);
        return registries;
    }

    /// <summary>The run's own settings (<see cref="RunSettings"/>, in declaration order), then every entry's, each once.</summary>
    public IReadOnlyList<Setting> Settings =>
        [.. RunSettingsInOrder, .. AllEntries.SelectMany(e => e.Settings).Distinct()];

    /// <summary>The entries that read <paramref name="setting"/>, as "strategy strategic"; empty for the run's own settings.</summary>
    public IReadOnlyList<string> ReadersOf(Setting setting) =>
        [.. Strategies.Entries.Where(e => e.Settings.Contains(setting)).Select(e => $"{Strategies.Kind} {e.Name}"),
            .. Models.Entries.Where(e => e.Settings.Contains(setting)).Select(e => $"{Models.Kind} {e.Name}"),
            .. Datasets.Entries.Where(e => e.Settings.Contains(setting)).Select(e => $"{Datasets.Kind} {e.Name}"),
            .. Partitioners.Entries.Where(e => e.Settings.Contains(setting)).Select(e => $"{Partitioners.Kind} {e.Name}")];

    private IEnumerable<IRegistryEntry> AllEntries =>
        Strategies.Entries.Cast<IRegistryEntry>().Concat(Models.Entries.Cast<IRegistryEntry>())
            .Concat(Datasets.Entries.Cast<IRegistryEntry>()).Concat(Partitioners.Entries.Cast<IRegistryEntry>());

    /// <summary>The fields of <see cref="RunSettings"/> come back in declaration order, which is config.json's order.</summary>
    private static readonly IReadOnlyList<Setting> RunSettingsInOrder = typeof(RunSettings)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetValue(null)).OfType<Setting>().ToList();

    /// <summary>Two declarations may not share a name: entries that read the same option share one <see cref="Setting"/>.</summary>
    private void CheckSettings(IRegistryEntry entry)
    {
        var known = Settings.ToDictionary(s => s.Name);
        foreach (var setting in entry.Settings)
            if (known.TryGetValue(setting.Name, out var other) && !ReferenceEquals(other, setting))
                throw new ArgumentException(
                    $"'{entry.Name}' declares a setting '{setting.Name}', a name another setting has already; share that one or choose another name",
                    nameof(entry));
    }
}
