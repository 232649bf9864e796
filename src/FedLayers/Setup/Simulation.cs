using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Reporting;

namespace FedLayers.Setup;

/// <summary>
/// A whole federation in one process: the server loop of <see cref="FederationSetup"/> over
/// in-process clients that train, one at a time, on one shared module.
/// </summary>
public static class Simulation
{
    /// <summary>Loads the configured dataset and runs.</summary>
    /// <param name="config">the run's configuration; validated before anything is loaded.</param>
    /// <param name="extraSinks">more receivers of every round, after the run folder's own (e.g. console progress).</param>
    /// <param name="warn">tells the user what does not stop the run.</param>
    /// <param name="cancellation">stops the run between steps; the last checkpoint stays.</param>
    /// <param name="resume">continue the run in --out from its checkpoint.</param>
    public static async Task<RunSummary> RunAsync(RunConfig config, IReadOnlyList<IRoundSink> extraSinks,
        Action<string> warn, CancellationToken cancellation = default, bool resume = false)
    {
        config.Validate();
        using var data = DataLoading.Load(config);
        return await RunAsync(config, data, extraSinks, warn, cancellation, resume);
    }

    /// <summary>Runs on data already loaded (tests use slices of the real data); the caller keeps
    /// ownership of <paramref name="data"/>. The run folder is created only once every check has passed.</summary>
    public static async Task<RunSummary> RunAsync(RunConfig config, DatasetSplits data,
        IReadOnlyList<IRoundSink> extraSinks, Action<string> warn, CancellationToken cancellation = default, bool resume = false)
    {
        using var setup = FederationSetup.Build(config, data, warn);
        using var prober = FederationSetup.ProberOf(setup.Config, setup.Model, setup.Device);
        using var carryover = CrossRoundPrefixCache.WithCapacity(setup.Training.PrefixCacheBytes);
        using var channel = new InProcessClientChannel(setup.Tensors.Train, setup.Shards, new ClientTrainer(setup.Model, setup.Device),
            prober, setup.Training, setup.Config.Get(RunSettings.Seed), carryover, setup.Config.Get(RunSettings.TransferDtypeChoice));
        return await setup.RunServerAsync(channel, resume, writePartition: true, extraSinks, cancellation);
    }
}
