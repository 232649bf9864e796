using FedLayers.Data;

namespace FedLayers.Setup;

/// <summary>Loads the dataset a configuration (or a client's own --dataset) names, through the dataset registry.</summary>
public static class DataLoading
{
    /// <summary>Loads the dataset <paramref name="spec"/> names, refusing a bad value of one of its settings with the option's name.</summary>
    /// <param name="config">the run's configuration: its registries and the dataset's settings.</param>
    /// <param name="spec">NAME or NAME:PATH; null: the configuration's --dataset.</param>
    /// <param name="seed">drives splits the dataset does not come with; null: the configuration's --seed.</param>
    public static DatasetSplits Load(RunConfig config, string? spec = null, int? seed = null)
    {
        var (entry, path) = config.Registries.Datasets.Find(spec ?? config.Get(RunSettings.Dataset));
        return SettingErrors.Translate(() => entry.Load(new DatasetArguments(path, seed ?? config.Get(RunSettings.Seed), config)), entry.Settings);
    }
}
