using FedLayers.Aggregation;
using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Reporting;
using FedLayers.Selection;
using TorchSharp;
using static FedLayers.Setup.RunSettings;
using static TorchSharp.torch;

namespace FedLayers.Setup;

/// <summary>
/// What a federation is made of, built once from its configuration and data: the model and the data
/// as it reads it, every client's shard and budget, the layers' costs and the strategy. Simulation,
/// the deployed server and a deployed client that uses the server's data build it the same way, so
/// a deployment is the same federation as its simulation.
/// </summary>
public sealed class FederationSetup : IDisposable
{
    private readonly bool ownsTensors;
    private readonly IReadOnlyList<string?>? trainDomains;
    private readonly Action<string> warn;

    private FederationSetup(RunConfig config, LayeredModel model, TensorSplits tensors, bool ownsTensors, Device device, ILayerSelector selector,
        LocalTrainingOptions training, IReadOnlyList<int[]> shards, IReadOnlyList<double> layerCosts, IReadOnlyList<double> budgets,
        IReadOnlyList<string?>? trainDomains, Action<string> warn)
    {
        this.warn = warn;
        (Config, Model, Tensors, this.ownsTensors, Device, Selector, Training) = (config, model, tensors, ownsTensors, device, selector, training);
        (Shards, LayerCosts, Budgets, this.trainDomains) = (shards, layerCosts, budgets, trainDomains);
    }

    /// <summary>The configuration, with the budget range of its cost unit filled in.</summary>
    public RunConfig Config { get; }

    /// <summary>The model --model names, on <see cref="Device"/>; owned by this setup (disposed with it).</summary>
    public LayeredModel Model { get; }

    /// <summary>The training and test data as the model reads it (texts tokenised); disposed with this setup when it made them.</summary>
    public TensorSplits Tensors { get; }

    /// <summary>The device of --device, where the model and the batches live.</summary>
    public Device Device { get; }

    /// <summary>The layer selection strategy --strategy names, built with its settings.</summary>
    public ILayerSelector Selector { get; }

    /// <summary>Indices into the training set, one list per client.</summary>
    public IReadOnlyList<int[]> Shards { get; }

    /// <summary>The cost of each selectable layer, input to output, in the unit of --cost.</summary>
    public IReadOnlyList<double> LayerCosts { get; }

    /// <summary>Each client's budget, by client id, in the unit of --cost (<see cref="BudgetsOf"/>).</summary>
    public IReadOnlyList<double> Budgets { get; }

    /// <summary>How every client trains locally (<see cref="TrainingOptionsOf"/>).</summary>
    public LocalTrainingOptions Training { get; }

    /// <summary>Checks the configuration against the data and builds everything; the caller keeps ownership of <paramref name="data"/>.</summary>
    /// <param name="config">the run's configuration; validated here.</param>
    /// <param name="data">the loaded dataset (<see cref="DataLoading.Load"/>).</param>
    /// <param name="warn">tells the user what does not stop the run (budgets no layer fits, a selection not proven optimal).</param>
    public static FederationSetup Build(RunConfig config, DatasetSplits data, Action<string> warn)
    {
        config.Validate();
        config = BudgetRange.WithDefaults(config);
        var device = DeviceChoice.Parse(config.Get(RunSettings.Device));
        var registries = config.Registries;
        var (partitionEntry, _) = registries.Partitioners.Find(config.Get(Partition));
        var partitioner = SettingErrors.Translate(() => partitionEntry.Create(config), partitionEntry.Settings);
        // refused before the model is built, so a wrong --partition fails in a moment
        if (partitioner is IDomainPartitioner && !(data.TrainDomains?.Any(d => d is not null) ?? false))
            throw new UserInputException($"--partition {config.Get(Partition)}: {PartitionChecks.NoDomainsReason}");
        var (strategyEntry, _) = registries.Strategies.Find(config.Get(Strategy));
        var selector = SettingErrors.Translate(() => strategyEntry.Create(new StrategyArguments(config, warn)), strategyEntry.Settings);
        var training = TrainingOptionsOf(config);
        _ = AggregationOf(config); // refused before the model is built, as the other choices
        PrivacySetup.Check(config, selector);

        torch.manual_seed(config.Get(Seed));
        var (model, tensors, ownsTensors) = ModelAndData(config, data);
        try
        {
            model.to(device);
            var layers = model.SelectableGroups;
            BudgetRange.CheckAgainstModel(config, layers.Count);
            var train = tensors.Train;
            var partitionRandom = SeededRandom.For(config.Get(Seed), "partition");
            var shards = SettingErrors.Translate(() => partitioner is IDomainPartitioner byDomain && data.TrainDomains is { } domains
                ? byDomain.Split(train.Labels, domains, train.NumClasses, config.Get(Clients), partitionRandom)
                : partitioner.Split(train.Labels, train.NumClasses, config.Get(Clients), partitionRandom), [Clients, .. partitionEntry.Settings]);
            shards = shards.Select((shard, client) => CapSamples(config, shard, client)).ToArray();
            var layerCosts = Federation.LayerCosts.Of(layers, config.Get(Cost));
            var budgets = BudgetsOf(config, layerCosts);
            WarnAboutUnaffordableBudgets(config, budgets, layerCosts, warn);
            return new FederationSetup(config, model, tensors, ownsTensors, device, selector, training, shards, layerCosts, budgets, data.TrainDomains, warn);
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
    /// (--out, or runs/&lt;timestamp&gt;), with a checkpoint after every round. With
    /// <paramref name="resume"/> it continues the run in that folder from its checkpoint.
    /// </summary>
    /// <param name="channel">how the server reaches the clients: in-process or deployed.</param>
    /// <param name="resume">continue the run in --out from its checkpoint, after checking the configuration matches.</param>
    /// <param name="writePartition">write partition.json/png: the server knows the shards only when its clients use its data.</param>
    /// <param name="extraSinks">more receivers of every round, after the run folder's own (e.g. console progress).</param>
    /// <param name="cancellation">stops the run between steps; the last checkpoint stays.</param>
    /// <param name="retryPause">the wait before a failed round is tried again (<see cref="ServerOptions.RetryPause"/>).</param>
    /// <param name="overlapEvaluation">evaluate each round while the clients train the next (<see cref="ServerOptions.OverlapEvaluation"/>):
    /// only for clients that do not train on <see cref="Model"/>.</param>
    public async Task<RunSummary> RunServerAsync(IClientChannel channel, bool resume, bool writePartition,
        IReadOnlyList<IRoundSink> extraSinks, CancellationToken cancellation, TimeSpan retryPause = default, bool overlapEvaluation = false)
    {
        using var global = ModelState.Capture(Model);
        var serverOptions = ServerOptionsOf(Config) with { RetryPause = retryPause, OverlapEvaluation = overlapEvaluation };
        if (PrivacySetup.Build(Config, Model.Groups, Selector, Budgets, LayerCosts) is { } privacy)
            // Poisson sampling may draw fewer than --clients-per-round: under privacy one success makes a round by default
            serverOptions = serverOptions with
            {
                Aggregation = privacy.Aggregation,
                Privacy = privacy.Accounting,
                PrivateProbe = privacy.Probe,
                MinClients = Config.Get(MinClients) ?? 1,
            };
        var folder = resume
            ? SettingErrors.Named("--resume", () => RunFolder.Open(Config.Get(Out) ?? throw new UserInputException("needs --out, the folder of the run to continue")))
            : SettingErrors.Named(Out.Option, () => RunFolder.Create(Config.Get(Out) ?? RunFolder.DefaultPath()));
        ServerProgress? progress = null;
        if (resume)
        {
            RunConfigJson.CheckResumable(folder.ConfigFile, Config);
            progress = SettingErrors.Named("--resume", () => RunCheckpoint.Read(folder.CheckpointFile, global, Config.Get(Seed), Budgets));
            folder.TrimToRound(progress.Round);
        }
        AtomicFile.WriteAllText(folder.ConfigFile, RunConfigJson.Serialize(Config.With(Out, folder.Path)));
        ModelReport.Write(folder.ModelFile, Config.Get(RunSettings.Model), Model.Groups);
        if (writePartition)
            PartitionReport.Write(folder.PartitionFile, folder.PartitionPlotFile, Shards, Tensors.Train.Labels, Tensors.Train.ClassNames,
                Budgets, Config.Get(Cost), BudgetDistribution.TextOf(Config.Get(BudgetDistribution)), trainDomains);
        using var evaluationSubset = EvaluationSubset(Config, Tensors.Test);
        using var evaluator = new Evaluator(Model, evaluationSubset ?? Tensors.Test, Device, cacheBytes: Training.PrefixCacheBytes);
        IRoundSink[] tolerance = Config.Get(Aggregator) == "mean" ? [] : [new ToleranceWarningSink(Config.Get(Aggregator), warn)];
        var server = new Server(Model.Groups, global, channel, Selector, Budgets, LayerCosts, evaluator, serverOptions,
            [.. folder.Sinks(Config.Get(Cost)), .. tolerance, .. extraSinks], progress,
            p => RunCheckpoint.Write(folder.CheckpointFile, global, p, Config.Get(Seed), Budgets));
        return await server.RunAsync(cancellation);
    }

    /// <summary>How a client trains locally under a configuration: its optimiser, loss and schedule built from their registries.</summary>
    public static LocalTrainingOptions TrainingOptionsOf(RunConfig config) =>
        new(config.Get(LocalEpochs), config.Get(LocalSteps), config.Get(Lr), config.Get(BatchSize), config.Get(PrefixCacheMb) * (1L << 20))
        {
            Optimizer = Choice(config.Registries.Optimizers, config),
            Loss = Choice(config.Registries.Losses, config),
            Schedule = Choice(config.Registries.Schedules, config),
        };

    /// <summary>How a client probes under a configuration: the loss it trains on, in the modes of --probe-mode; the caller disposes it.</summary>
    /// <param name="config">the run's configuration.</param>
    /// <param name="model">the module the client probes on.</param>
    /// <param name="device">the model's device.</param>
    public static GradientProber ProberOf(RunConfig config, LayeredModel model, Device device) =>
        new(model, device, Choice(config.Registries.Losses, config), config.Get(ProbeModeChoice));

    private static T Choice<T>(Registry<ChoiceEntry<T>> registry, RunConfig config)
    {
        var (entry, _) = registry.Find(config.Get(registry.SelectedBy));
        return SettingErrors.Translate(() => entry.Create(config), entry.Settings);
    }

    /// <summary>--max-samples-per-client: a client's samples cut to a seeded draw of at most that many (all of them without it).</summary>
    public static int[] CapSamples(RunConfig config, int[] samples, int client) =>
        config.Get(MaxSamplesPerClient) is { } most ? ShardSample.AtMost(samples, most, SeededRandom.For(config.Get(Seed), "max-samples", client)) : samples;

    /// <summary>The round loop's settings of a configuration.</summary>
    internal static ServerOptions ServerOptionsOf(RunConfig config) => new(config.Get(Rounds), config.Get(ClientsPerRound), config.Get(SelectEvery),
        config.Get(ProbeBatches), config.Get(Seed), config.Get(Diagnostics), config.Get(MinClients) ?? config.Get(ClientsPerRound),
        config.Get(RoundTimeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null, config.Get(RoundAttempts))
    {
        Aggregation = AggregationOf(config),
        ProbeEstimator = config.Get(ProbeEstimatorChoice),
        EvalEvery = config.Get(EvalEvery),
    };

    /// <summary>How a round's updates are weighted, clipped and combined under a configuration.</summary>
    public static LayerwiseAggregator AggregationOf(RunConfig config) =>
        new(new ClientWeighting(config.Get(Weighting) == UpdateWeighting.Samples, config.Get(MaxClientWeight)), Choice(config.Registries.Aggregators, config),
            config.Get(ClipNorm));

    /// <summary>The clients' budgets in the unit of --cost: whole layers (drawn as --budget-distribution says), or fractions
    /// of the selectable layers' summed cost.</summary>
    public static double[] BudgetsOf(RunConfig config, IReadOnlyList<double> layerCosts)
    {
        config = BudgetRange.WithDefaults(config);
        Func<int, int, int, int, int[]> drawLayers =
            config.Get(BudgetDistribution) == ClientBudgetDistribution.Reference ? ClientBudgets.DrawReference : ClientBudgets.Draw;
        return config.Get(Cost) == Federation.LayerCosts.Layers
            ? drawLayers(config.Get(Seed), config.Get(Clients), config.Get(MinLayers)!.Value, config.Get(MaxLayers)!.Value).Select(b => (double)b).ToArray()
            : ClientBudgets.DrawFractions(config.Get(Seed), config.Get(Clients), config.Get(MinBudget)!.Value, config.Get(MaxBudget)!.Value)
                .Select(f => f * layerCosts.Sum()).ToArray();
    }

    /// <summary>--eval-samples: a seeded random subset of the test set (the same for every strategy of a seed),
    /// or null for the whole test set.</summary>
    private static LabeledDataset? EvaluationSubset(RunConfig config, LabeledDataset test)
    {
        if (config.Get(EvalSamples) is not { } count || count >= test.Count) return null;
        return test.Subset(ShardSample.AtMost([.. Enumerable.Range(0, test.Count)], count, SeededRandom.For(config.Get(Seed), "evaluation-subset")));
    }

    /// <summary>A fraction of a summed cost can fall below the cheapest layer. That is allowed (such a client
    /// trains only the common groups, as a client that can afford nothing should), but said once.</summary>
    private static void WarnAboutUnaffordableBudgets(RunConfig config, IReadOnlyList<double> budgets, IReadOnlyList<double> layerCosts, Action<string> warn)
    {
        double cheapest = layerCosts.Min();
        int withoutLayer = budgets.Count(b => b < cheapest);
        if (withoutLayer > 0 && config.Get(Strategy) != "full")
            warn($"{withoutLayer} of {budgets.Count} clients have a budget below the cheapest layer ({cheapest} {config.Get(Cost)}); " +
                 "they train only the common groups (raise --min-budget to give them a layer)");
    }

    /// <summary>The model, and the data as it reads it: image datasets as they are, texts tokenised by the model's own tokenizer.</summary>
    /// <returns>the model, the data as tensors, and whether those tensors were made here (and must be freed here).</returns>
    public static (LayeredModel Model, TensorSplits Tensors, bool OwnsTensors) ModelAndData(RunConfig config, DatasetSplits data)
    {
        switch (data)
        {
            case TensorSplits images:
                return (CreateModel(config, images.Train.Inputs.shape[1..], images.Train.NumClasses, images.Train.Pixels), images, false);
            case TextSplits texts:
                var encoder = TextEncoderOf(config);
                var model = CreateModel(config, [config.Get(BuiltInModels.MaxSeqLen)], texts.Train.ClassNames.Count, null);
                return (model, new TensorSplits(texts.Train.Encode(encoder), texts.Test.Encode(encoder)), true);
            default:
                throw new ArgumentException($"unknown kind of dataset {data.GetType().Name}", nameof(data));
        }
    }

    /// <summary>The model --model names, for data of the given shape.</summary>
    /// <param name="config">the run's configuration: its registries and the model's settings.</param>
    /// <param name="inputShape">one sample's shape: [channels, height, width] for images, [tokens] for token ids.</param>
    /// <param name="numClasses">the dataset's number of classes: the width of the logits.</param>
    /// <param name="pixels">for image datasets, how their pixels were standardised; null for token ids.</param>
    public static LayeredModel CreateModel(RunConfig config, IReadOnlyList<long> inputShape, int numClasses, PixelNormalization? pixels)
    {
        var (entry, path) = config.Registries.Models.Find(config.Get(RunSettings.Model));
        return SettingErrors.Translate(() => entry.Create(new ModelArguments(new ModelSource(config, path), inputShape, numClasses, pixels)), entry.Settings);
    }

    /// <summary>The tokenizer of the text model --model names; refused for a model that reads images.</summary>
    public static ITextEncoder TextEncoderOf(RunConfig config)
    {
        var (entry, path) = config.Registries.Models.Find(config.Get(RunSettings.Model));
        return entry.TextEncoder is { } create
            ? SettingErrors.Translate(() => create(new ModelSource(config, path)), entry.Settings)
            : throw new UserInputException($"--model {config.Get(RunSettings.Model)}: reads images, not text; the text models are " +
                                           string.Join(", ", config.Registries.Models.Entries.Where(e => e.TextEncoder is not null).Select(e => e.Name)));
    }

    /// <summary>Disposes the model, and the tensors when this setup made them.</summary>
    public void Dispose()
    {
        Model.Dispose();
        if (ownsTensors) Tensors.Dispose();
    }
}
