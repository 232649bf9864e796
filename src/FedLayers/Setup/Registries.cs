using System.Reflection;
using FedLayers.Aggregation;
using FedLayers.Federation;

namespace FedLayers.Setup;

/// <summary>
/// Everything a run's names can refer to: one registry each for strategies, models, datasets,
/// partitioners, optimisers, losses, learning-rate schedules and aggregators. <see cref="BuiltIn"/> holds
/// FedLayers' own entries; a program adds its own to it (a strategy, a model family, a dataset, an
/// optimiser) and they become names a configuration and the command line can use, with their
/// settings as options.
/// </summary>
public sealed class Registries
{
    /// <summary>Empty registries (see <see cref="BuiltIn"/> for FedLayers' own entries).</summary>
    public Registries()
    {
        Strategies = new Registry<StrategyEntry>("strategy", "Strategies", RunSettings.Strategy, CheckSettings);
        Models = new Registry<ModelEntry>("model", "Models", RunSettings.Model, CheckSettings);
        Datasets = new Registry<DatasetEntry>("dataset", "Datasets", RunSettings.Dataset, CheckSettings);
        Partitioners = new Registry<PartitionerEntry>("partition", "Partitions", RunSettings.Partition, CheckSettings);
        Optimizers = new Registry<ChoiceEntry<LocalOptimizer>>("optimizer", "Optimisers", RunSettings.Optimizer, CheckSettings);
        Losses = new Registry<ChoiceEntry<TrainingLoss>>("loss", "Losses", RunSettings.Loss, CheckSettings);
        Schedules = new Registry<ChoiceEntry<LearningRateSchedule>>("schedule", "Learning-rate schedules", RunSettings.LrSchedule, CheckSettings);
        Aggregators = new Registry<ChoiceEntry<ILayerAggregator>>("aggregator", "Aggregators", RunSettings.Aggregator, CheckSettings);
        All = [Strategies, Models, Datasets, Partitioners, Optimizers, Losses, Schedules, Aggregators];
    }

    /// <summary>The layer selection strategies (<c>--strategy</c>).</summary>
    public Registry<StrategyEntry> Strategies { get; }

    /// <summary>The models (<c>--model</c>).</summary>
    public Registry<ModelEntry> Models { get; }

    /// <summary>The datasets (<c>--dataset</c>).</summary>
    public Registry<DatasetEntry> Datasets { get; }

    /// <summary>The ways of splitting the training data among clients (<c>--partition</c>).</summary>
    public Registry<PartitionerEntry> Partitioners { get; }

    /// <summary>The clients' optimisers (<c>--optimizer</c>).</summary>
    public Registry<ChoiceEntry<LocalOptimizer>> Optimizers { get; }

    /// <summary>The training losses (<c>--loss</c>).</summary>
    public Registry<ChoiceEntry<TrainingLoss>> Losses { get; }

    /// <summary>The learning-rate schedules (<c>--lr-schedule</c>).</summary>
    public Registry<ChoiceEntry<LearningRateSchedule>> Schedules { get; }

    /// <summary>The ways a layer combines its clients' updates (<c>--aggregator</c>).</summary>
    public Registry<ChoiceEntry<ILayerAggregator>> Aggregators { get; }

    /// <summary>Every registry above, in that order.</summary>
    public IReadOnlyList<IRegistry> All { get; }

    /// <summary>New registries holding FedLayers' own entries.</summary>
    public static Registries BuiltIn()
    {
        var registries = new Registries();
        BuiltInStrategies.AddTo(registries.Strategies);
        BuiltInModels.AddTo(registries.Models);
        BuiltInDatasets.AddTo(registries.Datasets);
        BuiltInPartitioners.AddTo(registries.Partitioners);
        BuiltInTraining.AddTo(registries);
        BuiltInAggregators.AddTo(registries.Aggregators);
        return registries;
    }

    /// <summary>The run's own settings (<see cref="RunSettings"/>, in declaration order), then every entry's, each once.</summary>
    public IReadOnlyList<Setting> Settings =>
        [.. RunSettingsInOrder, .. All.SelectMany(r => r.Entries).SelectMany(e => e.Settings).Distinct()];

    /// <summary>The entries that read <paramref name="setting"/>, as "strategy strategic"; empty for the run's own settings.</summary>
    public IReadOnlyList<string> ReadersOf(Setting setting) =>
        [.. All.SelectMany(r => r.Entries.Where(e => e.Settings.Contains(setting)).Select(e => $"{r.Kind} {e.Name}"))];

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
