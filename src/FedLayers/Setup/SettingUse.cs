namespace FedLayers.Setup;

/// <summary>
/// A setting of a registry entry (a strategy, model, dataset, optimiser, ...) that the run does not use is a mistake
/// (e.g. --image-size with a model that does not resize, --alpha with --partition iid): refused
/// rather than silently ignored.
/// </summary>
public static class SettingUse
{
    /// <summary>Refuses a configuration that changes an entry's setting from its default when no entry the run uses reads it.</summary>
    /// <param name="config">the run's configuration.</param>
    /// <param name="strategies">the strategies the configuration runs with (compare runs several); null: its --strategy.</param>
    /// <exception cref="UserInputException">such a setting, naming its option and the entries that read it.</exception>
    public static void CheckEveryChangedSettingIsRead(RunConfig config, IReadOnlyList<string>? strategies = null)
    {
        var registries = config.Registries;
        var used = registries.All.Where(r => r != registries.Strategies).Select(r => r.Find(config.Get(r.SelectedBy))).ToList();
        used.AddRange((strategies ?? [config.Get(RunSettings.Strategy)]).Select(s => (IRegistryEntry)registries.Strategies.Find(s).Entry));
        var read = used.SelectMany(e => e.Settings).ToHashSet();
        var own = registries.Settings.Where(s => registries.ReadersOf(s).Count > 0);
        foreach (var setting in own)
        {
            if (read.Contains(setting) || Equals(config.ValueOf(setting), setting.DefaultValue)) continue;
            throw new UserInputException($"{setting.Option}: read by {string.Join(", ", registries.ReadersOf(setting))} only, which this run does not use");
        }
    }
}
