using FedLayers.Federation;

namespace FedLayers.Setup;

/// <summary>
/// The settings every run has, whatever its strategy, model, dataset and partition (those bring
/// their own settings with their registry entries). The order here is the order of config.json
/// and of the option reference.
/// </summary>
public static class RunSettings
{
    public static readonly Setting<string> Dataset = Setting.Text("dataset", "fashion-mnist",
        "Dataset, NAME or NAME:PATH.");
    public static readonly Setting<string> Model = Setting.Text("model", "resnet18",
        "Model, NAME or NAME:PATH.");
    public static readonly Setting<string> Strategy = Setting.Text("strategy", "strategic",
        "Layer selection strategy.");
    public static readonly Setting<int> Clients = Setting.Int("clients", 20, "Number of clients N.", min: 1);
    public static readonly Setting<int> ClientsPerRound = Setting.Int("clients-per-round", 5, "Clients sampled per round K.", min: 1);
    public static readonly Setting<int> Rounds = Setting.Int("rounds", 10, "Federated rounds.", min: 1);
    public static readonly Setting<int> LocalEpochs = Setting.Int("local-epochs", 1, "Local epochs per round.", min: 1);
    public static readonly Setting<int?> LocalSteps = Setting.OptionalInt("local-steps",
        "Local optimiser steps per round; overrides --local-epochs.", min: 1, defaultValue: 10);
    public static readonly Setting<double> Lr = Setting.Number("lr", 0.01, "Learning rate (of the first round; --lr-schedule sets the others).",
        min: 0, minExclusive: true);
    public static readonly Setting<string> Optimizer = Setting.Text("optimizer", "sgd", "The clients' optimiser, new in every local training.");
    public static readonly Setting<string> Loss = Setting.Text("loss", "cross-entropy", "What the clients minimise (the reported test loss is always the cross-entropy).");
    public static readonly Setting<string> LrSchedule = Setting.Text("lr-schedule", "constant", "How the learning rate changes from round to round.");
    public static readonly Setting<int> BatchSize = Setting.Int("batch-size", 32, "Mini-batch size.", min: 1);
    public static readonly Setting<string> Partition = Setting.Text("partition", "dirichlet", "How the training data is split among clients.");
    public static readonly Setting<int?> MaxSamplesPerClient = Setting.OptionalInt("max-samples-per-client",
        "Cap every client's samples (a seeded draw), for quick runs.", min: 1, unsetText: "no cap");
    public static readonly Setting<int?> EvalSamples = Setting.OptionalInt("eval-samples",
        "Evaluate on a seeded random subset of this many test samples.", min: 1, unsetText: "the whole test set");
    public static readonly Setting<string> Cost = Setting.Text("cost", LayerCosts.Layers,
        $"Cost of a layer and unit of budgets: {string.Join(", ", LayerCosts.Units)}.");
    public static readonly Setting<int?> MinLayers = Setting.OptionalInt("min-layers",
        "--cost layers: smallest client budget in layers.", unsetText: BudgetRange.DefaultMinLayers.ToString());
    public static readonly Setting<int?> MaxLayers = Setting.OptionalInt("max-layers",
        "--cost layers: largest client budget in layers.", unsetText: BudgetRange.DefaultMaxLayers.ToString());
    public static readonly Setting<double?> MinBudget = Setting.OptionalNumber("min-budget",
        "--cost params|flops: smallest client budget, a fraction in (0, 1] of all selectable layers' cost.",
        unsetText: BudgetRange.DefaultMinBudget.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static readonly Setting<double?> MaxBudget = Setting.OptionalNumber("max-budget",
        "--cost params|flops: largest client budget, a fraction in (0, 1] of all selectable layers' cost.",
        unsetText: BudgetRange.DefaultMaxBudget.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static readonly Setting<int> SelectEvery = Setting.Int("select-every", 1, "Re-select layers every N rounds, reuse the masks in between.", min: 1);
    public static readonly Setting<int?> MinClients = Setting.OptionalInt("min-clients",
        "A round needs this many clients to succeed, else it is retried with a new sample.", min: 1, unsetText: "--clients-per-round").AsOperational();
    public static readonly Setting<double?> RoundTimeout = Setting.OptionalNumber("round-timeout",
        "Seconds a round waits for its clients; late clients are left out of it.", min: 0, minExclusive: true,
        unsetText: "no deadline; serve: 1800").AsOperational();
    public static readonly Setting<int> RoundAttempts = Setting.Int("round-attempts", 5, "How often one round is tried before the run stops.", min: 1).AsOperational();
    public static readonly Setting<int> ProbeBatches = Setting.Int("probe-batches", 5, "Mini-batches per gradient probe (probing strategies and --diagnostics).", min: 1);
    public static readonly Setting<bool> Diagnostics = Setting.Flag("diagnostics",
        "Probe every round to log the theory's two selection terms in metrics.jsonl, also for strategies that do not probe (no effect on training).");
    public static readonly Setting<int> Seed = Setting.Int("seed", 42, "The one seed for sampling, partition, budgets, initialisation and batch order.");
    public static readonly Setting<string> Device = Setting.Text("device", "cpu", "cpu, cuda or cuda:N.").AsOperational();
    public static readonly Setting<int?> Threads = Setting.OptionalInt("threads", "Intra-op threads for tensor operations.", min: 1,
        unsetText: "one per core").AsOperational();
    public static readonly Setting<int?> PrefixCacheMb = Setting.OptionalInt("prefix-cache-mb",
        "Memory for cached frozen-prefix outputs during one client's training, in MiB (0 turns the cache off).", min: 0,
        unsetText: "a quarter of RAM").AsOperational();
    public static readonly Setting<string?> Out = Setting.OptionalText("out", "Run folder; must be new or empty.", unsetText: "runs/<timestamp>").AsOperational();
}
