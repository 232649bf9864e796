using FedLayers.Data;
using FedLayers.Reporting;

namespace FedLayers.Federation;

/// <summary>
/// A whole federation in one process: the server loop of <see cref="FederationSetup"/> over
/// in-process clients that train, one at a time, on one shared module.
/// </summary>
public static class Simulation
{
    /// <summary>Loads the configured dataset and runs.</summary>
    /// <param name="resume">continue the run in <see cref="SimulationConfig.Out"/> from its checkpoint.</param>
    public static async Task<RunSummary> RunAsync(SimulationConfig config, IReadOnlyList<IRoundSink> extraSinks,
        Action<string> warn, CancellationToken cancellation = default, bool resume = false)
    {
        config.Validate();
        using var data = DatasetCatalog.Load(config.Dataset, config.Seed);
        return await RunAsync(config, data, extraSinks, warn, cancellation, resume);
    }

    /// <summary>Runs on data already loaded (tests use slices of the real data); the caller keeps
    /// ownership of <paramref name="data"/>. The run folder is created only once every check has passed.</summary>
    public static async Task<RunSummary> RunAsync(SimulationConfig config, DatasetSplits data,
        IReadOnlyList<IRoundSink> extraSinks, Action<string> warn, CancellationToken cancellation = default, bool resume = false)
    {
        using var setup = FederationSetup.Build(config, data, warn);
        using var prober = new GradientProber(setup.Model, setup.Device);
        var channel = new InProcessClientChannel(setup.Tensors.Train, setup.Shards, new ClientTrainer(setup.Model, setup.Device),
            prober, setup.Training, setup.Config.Seed);
        return await setup.RunServerAsync(channel, resume, writePartition: true, extraSinks, warn, cancellation);
    }
}
