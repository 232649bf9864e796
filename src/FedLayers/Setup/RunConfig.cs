using System.Collections.Immutable;
using FedLayers.Selection;
using static FedLayers.Setup.RunSettings;

namespace FedLayers.Setup;

/// <summary>
/// Everything that defines a run: one value per setting of its <see cref="Registries"/> (the run's
/// own <see cref="RunSettings"/>, then those of every registered strategy, model, dataset and
/// partitioner). Immutable: <see cref="With{T}"/> returns a changed copy. Its JSON form
/// (<see cref="RunConfigJson"/>) is config.json of a run and a valid configuration file.
/// </summary>
public sealed class RunConfig
{
    private readonly ImmutableDictionary<string, object?> values;

    private RunConfig(Registries registries, ImmutableDictionary<string, object?> values) => (Registries, this.values) = (registries, values);

    /// <summary>The registries the names in this configuration are looked up in.</summary>
    public Registries Registries { get; }

    /// <summary>Every setting at its default.</summary>
    /// <param name="registries">null: the built-in registries.</param>
    public static RunConfig Defaults(Registries? registries = null)
    {
        registries ??= Registries.BuiltIn();
        return new RunConfig(registries, registries.Settings.ToImmutableDictionary(s => s.Name, s => s.DefaultValue));
    }

    /// <summary>The value of <paramref name="setting"/> (its default when the setting was registered after this configuration was made).</summary>
    public T Get<T>(Setting<T> setting) => values.TryGetValue(setting.Name, out var value) ? (T)value! : setting.Default;

    /// <summary>A copy with <paramref name="setting"/> set to <paramref name="value"/> (checked by <see cref="Validate"/>, not here).</summary>
    public RunConfig With<T>(Setting<T> setting, T value) => new(Registries, values.SetItem(setting.Name, value));

    internal object? ValueOf(Setting setting) => values.TryGetValue(setting.Name, out var value) ? value : setting.DefaultValue;

    internal RunConfig WithValue(Setting setting, object? value) => new(Registries, values.SetItem(setting.Name, value));

    /// <summary>Checks every value that does not depend on the model or the data: each setting against its own rule,
    /// then the rules that tie settings together. Settings of strategies, models, datasets and partitioners that
    /// have no rule of their own are checked by the object they build, when it is built.</summary>
    public void Validate()
    {
        foreach (var setting in Registries.Settings) setting.Check(ValueOf(setting));
        int clients = Get(Clients), perRound = Get(ClientsPerRound);
        Require(perRound <= clients, ClientsPerRound, $"must be between 1 and --clients ({clients}), got {perRound}");
        Require(Get(MinClients) is not { } min || min <= perRound, MinClients,
            $"must be between 1 and --clients-per-round ({perRound}), got {Get(MinClients)}");
        int minSamples = Get(BuiltInPartitioners.MinSamplesPerClient);
        Require(Get(MaxSamplesPerClient) is not { } most || most >= minSamples, MaxSamplesPerClient,
            $"must be at least --min-samples-per-client ({minSamples}), got {Get(MaxSamplesPerClient)}");
        // with one batch there is no spread between batches to subtract: unbiased would silently be mean
        Require(Get(ProbeEstimatorChoice) != ProbeEstimator.Unbiased || Get(ProbeBatches) >= 2, ProbeEstimatorChoice,
            $"unbiased needs --probe-batches of at least 2 (it subtracts the spread between the batches), got {Get(ProbeBatches)}");
        BudgetRange.Check(this);
        DeviceChoice.Parse(Get(RunSettings.Device));
    }

    private static void Require(bool condition, Setting setting, string expectation)
    {
        if (!condition) throw new UserInputException($"{setting.Option}: {expectation}");
    }
}
