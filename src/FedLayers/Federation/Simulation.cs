using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Reporting;
using FedLayers.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// A whole federation in one process: partition the data, draw budgets, build the model and
/// strategy, and run the server loop over in-process clients.
/// </summary>
public static class Simulation
{
    /// <summary>Loads the configured dataset and runs.</summary>
    public static async Task<RunSummary> RunAsync(SimulationConfig config, IReadOnlyList<IRoundSink> extraSinks,
        Action<string> warn, CancellationToken cancellation = default)
    {
        config.Validate();
        using var data = DatasetCatalog.Load(config.Dataset, config.Seed);
        return await RunAsync(config, data, extraSinks, warn, cancellation);
    }

    /// <summary>Runs on data already loaded (tests use slices of the real data); the caller keeps
    /// ownership of <paramref name="data"/>. The run folder (<see cref="SimulationConfig.Out"/>, or
    /// runs/&lt;timestamp&gt;) is created only once every check has passed.</summary>
    public static async Task<RunSummary> RunAsync(SimulationConfig config, DatasetSplits data,
        IReadOnlyList<IRoundSink> extraSinks, Action<string> warn, CancellationToken cancellation = default)
    {
        config.Validate();
        config = config.WithBudgetDefaults();
        var device = ParseDevice(config.Device);
        var partitioner = PartitionerCatalog.Create(config.Partition, config.Alpha, config.MinSamplesPerClient);
        // refused before the model is built, so a wrong --partition fails in a moment
        if (partitioner is IDomainPartitioner && !(data.TrainDomains?.Any(d => d is not null) ?? false))
            throw PartitionChecks.NoDomains(config.Partition);
        var selector = StrategyCatalog.Create(config.Strategy, config.Lambda, config.SolverTimeLimitSeconds,
            solution => { if (solution.Status != "optimal") warn($"strategic selection not proven optimal within {config.SolverTimeLimitSeconds} s (gap {solution.Gap:P2}); using the best masks found"); });

        torch.manual_seed(config.Seed);
        var (model, tensors, ownsTensors) = ModelAndData(config, data);
        using var ownedModel = model;
        using var ownedTensors = ownsTensors ? tensors : null;
        var (train, test) = (tensors.Train, tensors.Test);
        model.to(device);
        var layers = model.SelectableGroups;
        config.ValidateBudgets(layers.Count, config.Model);

        var partitionRandom = SeededRandom.For(config.Seed, "partition");
        var shards = partitioner is IDomainPartitioner byDomain && data.TrainDomains is { } domains
            ? byDomain.Split(train.Labels, domains, train.NumClasses, config.Clients, partitionRandom)
            : partitioner.Split(train.Labels, train.NumClasses, config.Clients, partitionRandom);
        if (config.MaxSamplesPerClient is { } most)
            shards = shards.Select((shard, client) => ShardSample.AtMost(shard, most, SeededRandom.For(config.Seed, "max-samples", client))).ToArray();
        var layerCosts = LayerCosts.Of(layers, config.Cost);
        var budgets = ClientBudgets.For(config, layerCosts);
        WarnAboutUnaffordableBudgets(config, budgets, layerCosts, warn);

        using var global = ModelState.Capture(model);
        var training = new LocalTrainingOptions(config.LocalEpochs, config.LocalSteps, config.Lr, config.BatchSize, config.PrefixCacheMb * (1L << 20));
        var channel = new InProcessClientChannel(train, shards, new ClientTrainer(model, device), new GradientProber(model, device), training, config.Seed);
        using var evaluationSubset = EvaluationSubset(config, test);
        using var evaluator = new Evaluator(model, evaluationSubset ?? test, device, cacheBytes: training.PrefixCacheBytes);
        var options = new ServerOptions(config.Rounds, config.ClientsPerRound, config.SelectEvery, config.ProbeBatches, config.Seed,
            config.Diagnostics);

        var folder = RunFolder.Create(config.Out ?? RunFolder.DefaultPath());
        AtomicFile.WriteAllText(folder.ConfigFile, SimulationConfigJson.Serialize(config with { Out = folder.Path }));
        ModelReport.Write(folder.ModelFile, config.Model, model.Groups);
        PartitionReport.Write(folder.PartitionFile, folder.PartitionPlotFile, shards, train.Labels, train.ClassNames, budgets,
            config.Cost, data.TrainDomains);
        var server = new Server(model.Groups, global, channel, selector, budgets, layerCosts, evaluator, options,
            [.. folder.Sinks(config.Cost), .. extraSinks]);
        return await server.RunAsync(cancellation);
    }

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
    private static (LayeredModel Model, TensorSplits Tensors, bool OwnsTensors) ModelAndData(SimulationConfig config, DatasetSplits data)
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

    private static Device ParseDevice(string name)
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
}
