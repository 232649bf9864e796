using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Reporting;
using FedLayers.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// What a federation is made of, built from its configuration and data: the model and the data as
/// it reads it, every client's shard and budget, the layers' costs and the strategy. Simulation,
/// the deployed server and a deployed client that uses the server's data build it the same way, so
/// a deployment is the same federation as its simulation.
/// </summary>
public sealed class FederationSetup : IDisposable
{
    private readonly bool ownsTensors;
    private readonly IReadOnlyList<string?>? trainDomains;

    private FederationSetup(SimulationConfig config, LayeredModel model, TensorSplits tensors, bool ownsTensors, Device device,
        IReadOnlyList<int[]> shards, IReadOnlyList<double> layerCosts, IReadOnlyList<double> budgets, IReadOnlyList<string?>? trainDomains)
    {
        (Config, Model, Tensors, this.ownsTensors, Device) = (config, model, tensors, ownsTensors, device);
        (Shards, LayerCosts, Budgets, this.trainDomains) = (shards, layerCosts, budgets, trainDomains);
        Training = TrainingOptionsOf(config);
    }

    public SimulationConfig Config { get; }
    public LayeredModel Model { get; }
    public TensorSplits Tensors { get; }
    public Device Device { get; }
    /// <summary>Indices into the training set, one list per client.</summary>
    public IReadOnlyList<int[]> Shards { get; }
    public IReadOnlyList<double> LayerCosts { get; }
    public IReadOnlyList<double> Budgets { get; }
    public LocalTrainingOptions Training { get; }

    /// <summary>Checks the configuration against the data and builds everything; the caller keeps ownership of <paramref name="data"/>.</summary>
    public static FederationSetup Build(SimulationConfig config, DatasetSplits data, Action<string> warn)
    {
        config.Validate();
        config = config.WithBudgetDefaults();
        var device = ParseDevice(config.Device);
        var partitioner = PartitionerCatalog.Create(config.Partition, config.Alpha, config.MinSamplesPerClient);
        // refused before the model is built, so a wrong --partition fails in a moment
        if (partitioner is IDomainPartitioner && !(data.TrainDomains?.Any(d => d is not null) ?? false))
            throw PartitionChecks.NoDomains(config.Partition);
        StrategyCatalog.Create(config.Strategy, config.Lambda, config.SolverTimeLimitSeconds); // an unknown strategy fails here, before the model

        torch.manual_seed(config.Seed);
        var (model, tensors, ownsTensors) = ModelAndData(config, data);
        try
        {
            model.to(device);
            var layers = model.SelectableGroups;
            config.ValidateBudgets(layers.Count, config.Model);
            var train = tensors.Train;
            var partitionRandom = SeededRandom.For(config.Seed, "partition");
            var shards = partitioner is IDomainPartitioner byDomain && data.TrainDomains is { } domains
                ? byDomain.Split(train.Labels, domains, train.NumClasses, config.Clients, partitionRandom)
                : partitioner.Split(train.Labels, train.NumClasses, config.Clients, partitionRandom);
            shards = shards.Select((shard, client) => CapSamples(config, shard, client)).ToArray();
            var layerCosts = Federation.LayerCosts.Of(layers, config.Cost);
            var budgets = ClientBudgets.For(config, layerCosts);
            WarnAboutUnaffordableBudgets(config, budgets, layerCosts, warn);
            return new FederationSetup(config, model, tensors, ownsTensors, device, shards, layerCosts, budgets, data.TrainDomains);
        }
        catch
        {
            model.Dispose();
            if (ownsTensors) tensors.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the server loop over <paramref name="channel"/> and writes the run folder
    /// (<see cref="SimulationConfig.Out"/>, or runs/&lt;timestamp&gt;), with a checkpoint after every
    /// round. With <paramref name="resume"/> it continues the run in that folder from its checkpoint.
    /// </summary>
    /// <param name="writePartition">write partition.json/png: the server knows the shards only when its clients use its data.</param>
    /// <param name="retryPause">the wait before a failed round is tried again (<see cref="ServerOptions.RetryPause"/>).</param>
    public async Task<RunSummary> RunServerAsync(IClientChannel channel, bool resume, bool writePartition,
        IReadOnlyList<IRoundSink> extraSinks, Action<string> warn, CancellationToken cancellation, TimeSpan retryPause = default)
    {
        var selector = StrategyCatalog.Create(Config.Strategy, Config.Lambda, Config.SolverTimeLimitSeconds,
            solution => { if (solution.Status != "optimal") warn($"strategic selection not proven optimal within {Config.SolverTimeLimitSeconds} s (gap {solution.Gap:P2}); using the best masks found"); });
        using var global = ModelState.Capture(Model);
        var folder = resume
            ? RunFolder.Open(Config.Out ?? throw new UserInputException("--resume: needs --out, the folder of the run to continue"))
            : RunFolder.Create(Config.Out ?? RunFolder.DefaultPath());
        ServerProgress? progress = null;
        if (resume)
        {
            SimulationConfigJson.CheckResumable(folder.ConfigFile, Config);
            progress = RunCheckpoint.Read(folder.CheckpointFile, global, Config.Seed, Budgets);
            folder.TrimToRound(progress.Round);
        }
        AtomicFile.WriteAllText(folder.ConfigFile, SimulationConfigJson.Serialize(Config with { Out = folder.Path }));
        ModelReport.Write(folder.ModelFile, Config.Model, Model.Groups);
        if (writePartition)
            PartitionReport.Write(folder.PartitionFile, folder.PartitionPlotFile, Shards, Tensors.Train.Labels, Tensors.Train.ClassNames,
                Budgets, Config.Cost, trainDomains);
        using var evaluationSubset = EvaluationSubset(Config, Tensors.Test);
        using var evaluator = new Evaluator(Model, evaluationSubset ?? Tensors.Test, Device, cacheBytes: Training.PrefixCacheBytes);
        var server = new Server(Model.Groups, global, channel, selector, Budgets, LayerCosts, evaluator, ServerOptionsOf(Config) with { RetryPause = retryPause },
            [.. folder.Sinks(Config.Cost), .. extraSinks], progress,
            p => RunCheckpoint.Write(folder.CheckpointFile, global, p, Config.Seed, Budgets));
        return await server.RunAsync(cancellation);
    }

    /// <summary>How a client trains locally under a configuration.</summary>
    public static LocalTrainingOptions TrainingOptionsOf(SimulationConfig config) =>
        new(config.LocalEpochs, config.LocalSteps, config.Lr, config.BatchSize, config.PrefixCacheMb * (1L << 20));

    /// <summary>--max-samples-per-client: a client's samples cut to a seeded draw of at most that many (all of them without it).</summary>
    public static int[] CapSamples(SimulationConfig config, int[] samples, int client) =>
        config.MaxSamplesPerClient is { } most ? ShardSample.AtMost(samples, most, SeededRandom.For(config.Seed, "max-samples", client)) : samples;

    /// <summary>The round loop's settings of a configuration.</summary>
    public static ServerOptions ServerOptionsOf(SimulationConfig config) => new(config.Rounds, config.ClientsPerRound, config.SelectEvery,
        config.ProbeBatches, config.Seed, config.Diagnostics, config.MinClients ?? config.ClientsPerRound,
        config.RoundTimeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null, config.RoundAttempts);

    /// <summary>--eval-samples: a seeded random subset of the test set (the same for every strategy of a seed),
    /// or null for the whole test set.</summary>
    private static LabeledDataset? EvaluationSubset(SimulationConfig config, LabeledDataset test)
    {
        if (config.EvalSamples is not { } count || count >= test.Count) return null;
        return test.Subset(ShardSample.AtMost([.. Enumerable.Range(0, test.Count)], count, SeededRandom.For(config.Seed, "evaluation-subset")));
    }

    /// <summary>A fraction of a summed cost can fall below the cheapest layer. That is allowed (such a client
    /// trains only the common groups, as a client that can afford nothing should), but said once.</summary>
    private static void WarnAboutUnaffordableBudgets(SimulationConfig config, IReadOnlyList<double> budgets,
        IReadOnlyList<double> layerCosts, Action<string> warn)
    {
        double cheapest = layerCosts.Min();
        int withoutLayer = budgets.Count(b => b < cheapest);
        if (withoutLayer > 0 && config.Strategy != "full")
            warn($"{withoutLayer} of {budgets.Count} clients have a budget below the cheapest layer ({cheapest} {config.Cost}); " +
                 "they train only the common groups (raise --min-budget to give them a layer)");
    }

    /// <summary>The model, and the data as it reads it: image datasets as they are, texts tokenised by the model's own tokenizer.</summary>
    /// <returns>the model, the data as tensors, and whether those tensors were made here (and must be freed here).</returns>
    public static (LayeredModel Model, TensorSplits Tensors, bool OwnsTensors) ModelAndData(SimulationConfig config, DatasetSplits data)
    {
        switch (data)
        {
            case TensorSplits images:
                return (ModelCatalog.Create(config.Model, images.Train.Inputs.shape[1..], images.Train.NumClasses, images.Train.Pixels, config.ImageSize),
                    images, false);
            case TextSplits texts:
                var encoder = ModelCatalog.CreateTextEncoder(config.Model, config.MaxSeqLen);
                var model = ModelCatalog.Create(config.Model, [config.MaxSeqLen], texts.Train.ClassNames.Count);
                return (model, new TensorSplits(texts.Train.Encode(encoder), texts.Test.Encode(encoder)), true);
            default:
                throw new ArgumentException($"unknown kind of dataset {data.GetType().Name}");
        }
    }

    public static Device ParseDevice(string name)
    {
        if (name == "cpu") return CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available()) throw new UserInputException($"--device: '{name}' was asked for but CUDA is not available on this machine; use --device cpu");
            try { return torch.device(name); }
            catch (Exception) { throw new UserInputException($"--device: '{name}' is not a valid device; expected cpu, cuda or cuda:N"); }
        }
        throw new UserInputException($"--device: unknown device '{name}'; expected cpu, cuda or cuda:N");
    }

    public void Dispose()
    {
        Model.Dispose();
        if (ownsTensors) Tensors.Dispose();
    }
}
