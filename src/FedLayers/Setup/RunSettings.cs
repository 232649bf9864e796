using FedLayers.Federation;
using FedLayers.Selection;

namespace FedLayers.Setup;

/// <summary>
/// The settings every run has, whatever its strategy, model, dataset and partition (those bring
/// their own settings with their registry entries). The order here is the order of config.json
/// and of the option reference.
/// </summary>
public static class RunSettings
{
    /// <summary>--dataset: the dataset registry entry, NAME or NAME:PATH.</summary>
    public static readonly Setting<string> Dataset = Setting.Text("dataset", "fashion-mnist",
        "Dataset, NAME or NAME:PATH.");

    /// <summary>--model: the model registry entry, NAME or NAME:PATH.</summary>
    public static readonly Setting<string> Model = Setting.Text("model", "resnet18",
        "Model, NAME or NAME:PATH.");

    /// <summary>--strategy: the layer selection strategy registry entry.</summary>
    public static readonly Setting<string> Strategy = Setting.Text("strategy", "strategic",
        "Layer selection strategy.");

    /// <summary>--clients: the number of clients N (ids 0..N-1).</summary>
    public static readonly Setting<int> Clients = Setting.Int("clients", 20, "Number of clients N.", min: 1);

    /// <summary>--clients-per-round: K, the clients sampled per round; at most --clients.</summary>
    public static readonly Setting<int> ClientsPerRound = Setting.Int("clients-per-round", 5, "Clients sampled per round K.", min: 1);

    /// <summary>--rounds: federated training rounds after round 0 (the evaluation of the starting weights).</summary>
    public static readonly Setting<int> Rounds = Setting.Int("rounds", 10, "Federated rounds.", min: 1);

    /// <summary>--local-epochs: passes over a client's samples per round, when --local-steps is unset.</summary>
    public static readonly Setting<int> LocalEpochs = Setting.Int("local-epochs", 1, "Local epochs per round.", min: 1);

    /// <summary>--local-steps: optimiser steps per round; null: --local-epochs decides (given epochs without steps unset it).</summary>
    public static readonly Setting<int?> LocalSteps = Setting.OptionalInt("local-steps",
        "Local optimiser steps per round; overrides --local-epochs.", min: 1, defaultValue: 10);

    /// <summary>--lr: the learning rate of the first round, above 0; --lr-schedule sets the others.</summary>
    public static readonly Setting<double> Lr = Setting.Number("lr", 0.01, "Learning rate (of the first round; --lr-schedule sets the others).",
        min: 0, minExclusive: true);

    /// <summary>--optimizer: the optimiser registry entry, built anew for every local training.</summary>
    public static readonly Setting<string> Optimizer = Setting.Text("optimizer", "sgd", "The clients' optimiser, new in every local training.");

    /// <summary>--loss: the training loss registry entry (the reported test loss is always the cross-entropy).</summary>
    public static readonly Setting<string> Loss = Setting.Text("loss", "cross-entropy", "What the clients minimise (the reported test loss is always the cross-entropy).");

    /// <summary>--lr-schedule: the learning-rate schedule registry entry.</summary>
    public static readonly Setting<string> LrSchedule = Setting.Text("lr-schedule", "constant", "How the learning rate changes from round to round.");

    /// <summary>--batch-size: samples per mini-batch, in local training and gradient probes.</summary>
    public static readonly Setting<int> BatchSize = Setting.Int("batch-size", 32, "Mini-batch size.", min: 1);

    /// <summary>--partition: the partition registry entry that splits the training data among the clients.</summary>
    public static readonly Setting<string> Partition = Setting.Text("partition", "dirichlet", "How the training data is split among clients.");

    /// <summary>--max-samples-per-client: each client's samples cut to a seeded draw of at most this many; null: no cap.</summary>
    public static readonly Setting<int?> MaxSamplesPerClient = Setting.OptionalInt("max-samples-per-client",
        "Cap every client's samples (a seeded draw), for quick runs.", min: 1, unsetText: "no cap");

    /// <summary>--eval-samples: evaluate on a seeded subset of this many test samples; null: the whole test set.</summary>
    public static readonly Setting<int?> EvalSamples = Setting.OptionalInt("eval-samples",
        "Evaluate on a seeded random subset of this many test samples.", min: 1, unsetText: "the whole test set");

    /// <summary>--cost: the unit of layer costs and budgets, one of <see cref="LayerCosts.Units"/>.</summary>
    public static readonly Setting<string> Cost = Setting.Text("cost", LayerCosts.Layers,
        $"Cost of a layer and unit of budgets: {string.Join(", ", LayerCosts.Units)}.");

    /// <summary>--min-layers: with --cost layers, the smallest client budget in layers; null: <see cref="BudgetRange.DefaultMinLayers"/>.</summary>
    public static readonly Setting<int?> MinLayers = Setting.OptionalInt("min-layers",
        "--cost layers: smallest client budget in layers.", unsetText: BudgetRange.DefaultMinLayers.ToString());

    /// <summary>--max-layers: with --cost layers, the largest client budget in layers; null: <see cref="BudgetRange.DefaultMaxLayers"/>.</summary>
    public static readonly Setting<int?> MaxLayers = Setting.OptionalInt("max-layers",
        "--cost layers: largest client budget in layers.", unsetText: BudgetRange.DefaultMaxLayers.ToString());

    /// <summary>--min-budget: with --cost params or flops, the smallest budget as a fraction in (0, 1] of the selectable layers' summed cost.</summary>
    public static readonly Setting<double?> MinBudget = Setting.OptionalNumber("min-budget",
        "--cost params|flops: smallest client budget, a fraction in (0, 1] of all selectable layers' cost.",
        unsetText: BudgetRange.DefaultMinBudget.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>--max-budget: with --cost params or flops, the largest budget as a fraction in (0, 1] of the selectable layers' summed cost.</summary>
    public static readonly Setting<double?> MaxBudget = Setting.OptionalNumber("max-budget",
        "--cost params|flops: largest client budget, a fraction in (0, 1] of all selectable layers' cost.",
        unsetText: BudgetRange.DefaultMaxBudget.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>--budget-distribution: the shape budgets are drawn with, a <see cref="ClientBudgetDistribution"/> (reference: --cost layers only).</summary>
    public static readonly Setting<ClientBudgetDistribution> BudgetDistribution = Setting.Choice("budget-distribution", ClientBudgetDistribution.Centred,
        "How client budgets are drawn within their range: centred (a normal on the middle of the range) or reference " +
        "(the paper's code: N(1, 1), most clients get 1 or 2 layers; --cost layers only).",
        ("centred", ClientBudgetDistribution.Centred), ("reference", ClientBudgetDistribution.Reference));

    /// <summary>--select-every: the strategy chooses masks every this many rounds; the rounds in between reuse them.</summary>
    public static readonly Setting<int> SelectEvery = Setting.Int("select-every", 1, "Re-select layers every N rounds, reuse the masks in between.", min: 1);

    /// <summary>--eval-every: the global model is evaluated after every this many rounds, and always after round 0 and the last.</summary>
    public static readonly Setting<int> EvalEvery = Setting.Int("eval-every", 1,
        "Evaluate the global model on the test set after every N rounds (round 0 and the last round always); the other rounds' " +
        "test accuracy and loss are null in metrics.jsonl.", min: 1);

    /// <summary>--min-clients: successful clients a round needs, else it is retried; null: --clients-per-round. Operational (<see cref="Setting.Operational"/>).</summary>
    public static readonly Setting<int?> MinClients = Setting.OptionalInt("min-clients",
        "A round needs this many clients to succeed, else it is retried with a new sample.", min: 1, unsetText: "--clients-per-round").AsOperational();

    /// <summary>--round-timeout: seconds a round waits for its clients before leaving the late ones out; null: no deadline. Operational (<see cref="Setting.Operational"/>).</summary>
    public static readonly Setting<double?> RoundTimeout = Setting.OptionalNumber("round-timeout",
        "Seconds a round waits for its clients; late clients are left out of it.", min: 0, minExclusive: true,
        unsetText: "no deadline; serve: 1800").AsOperational();

    /// <summary>--round-attempts: how often one round is tried before the run stops with an error. Operational (<see cref="Setting.Operational"/>).</summary>
    public static readonly Setting<int> RoundAttempts = Setting.Int("round-attempts", 5, "How often one round is tried before the run stops.", min: 1).AsOperational();

    /// <summary>--weighting: what a client's update counts for in a weighted mean.</summary>
    public static readonly Setting<UpdateWeighting> Weighting = Setting.Choice("weighting", UpdateWeighting.Samples,
        "How much each client's update counts in a layer's mean: samples (its sample count, as FedAvg) or uniform.",
        ("samples", UpdateWeighting.Samples), ("uniform", UpdateWeighting.Uniform));
    /// <summary>--max-client-weight: the cap on one client's share of a layer.</summary>
    public static readonly Setting<double?> MaxClientWeight = Setting.OptionalNumber("max-client-weight",
        "The largest share of a layer's update one client may have in a round, in (0, 1], whatever sample count it declares.",
        min: 0, minExclusive: true, max: 1, unsetText: "no cap; serve: 0.5");
    /// <summary>--clip-norm: the bound on a client's update norm.</summary>
    public static readonly Setting<double?> ClipNorm = Setting.OptionalNumber("clip-norm",
        "Scale each client's whole update (all the layers it trained, jointly) down to at most this L2 norm.", min: 0, minExclusive: true,
        unsetText: "no clipping");
    /// <summary>--aggregator: how a layer combines its clients' updates.</summary>
    public static readonly Setting<string> Aggregator = Setting.Text("aggregator", "mean",
        "How each layer combines the updates of the clients that trained it in the round.");
    /// <summary>--dp-noise-multiplier: client-level differential privacy's noise over the clip norm.</summary>
    public static readonly Setting<double?> DpNoiseMultiplier = Setting.OptionalNumber("dp-noise-multiplier",
        "Client-level differential privacy (DP-FedAvg): Gaussian noise of this times --clip-norm on every coordinate of each layer's sum; clients are sampled by Poisson.",
        min: 0, minExclusive: true, unsetText: "no privacy");
    /// <summary>--dp-delta: the delta epsilon is reported for.</summary>
    public static readonly Setting<double?> DpDelta = Setting.OptionalNumber("dp-delta",
        "The delta of the (epsilon, delta) guarantee reported, in (0, 1).", min: 0, minExclusive: true, max: 1, unsetText: "0.1 / --clients",
        maxExclusive: true);
    /// <summary>--dp-epsilon-budget: the epsilon a run may spend.</summary>
    public static readonly Setting<double?> DpEpsilonBudget = Setting.OptionalNumber("dp-epsilon-budget",
        "Stop cleanly (summary written, exit 0) before a round that would take epsilon above this.", min: 0, minExclusive: true, unsetText: "no budget");
    /// <summary>--probe-batches: mini-batches per gradient probe.</summary>
    public static readonly Setting<int> ProbeBatches = Setting.Int("probe-batches", 2,
        "Mini-batches per gradient probe (probing strategies and --diagnostics); two keep the accuracy of five at under half the time, docs/PERFORMANCE.md.", min: 1);
    /// <summary>--probe-estimator: how a client's gradient mass per layer is made from its probe batches.</summary>
    public static readonly Setting<ProbeEstimator> ProbeEstimatorChoice = Setting.Choice("probe-estimator", ProbeEstimator.Mean,
        "How strategic and --diagnostics make a client's gradient mass per layer from the probe batches: batch-sum (sum of squared batch-gradient norms), " +
        "mean (squared norm of the mean gradient) or unbiased (that minus the between-batch variance estimate; needs --probe-batches 2 or more); docs/SELECTION.md.",
        ("batch-sum", ProbeEstimator.BatchSum), ("mean", ProbeEstimator.Mean), ("unbiased", ProbeEstimator.Unbiased));

    /// <summary>--transfer-dtype: the number format of weights and updates between the server and its clients.</summary>
    public static readonly Setting<TransferDtype> TransferDtypeChoice = Setting.Choice("transfer-dtype", TransferDtype.Float32,
        "The number format weights and updates travel in between the server and its clients (float32 tensors only; the server " +
        "aggregates in float32, and a simulation rounds as a deployment does): float32, bfloat16 or float16; docs/DEPLOYMENT.md.",
        ("float32", TransferDtype.Float32), ("bfloat16", TransferDtype.BFloat16), ("float16", TransferDtype.Float16));

    /// <summary>--probe-mode: the modules' modes while a client probes its gradients.</summary>
    public static readonly Setting<ProbeMode> ProbeModeChoice = Setting.Choice("probe-mode", ProbeMode.Auto,
        "The modules' modes in a gradient probe (probing strategies and --diagnostics): eval, train (the modes of local training: " +
        "batch statistics and dropout in the selectable and common layers; running statistics are restored), or auto (train for a model " +
        "with batch norm, eval otherwise); docs/SELECTION.md.",
        ("auto", ProbeMode.Auto), ("eval", ProbeMode.Eval), ("train", ProbeMode.Train));

    /// <summary>--diagnostics: probe every round to log the selection terms, also for strategies that do not probe.</summary>
    public static readonly Setting<bool> Diagnostics = Setting.Flag("diagnostics",
        "Probe every round to log the theory's two selection terms in metrics.jsonl, also for strategies that do not probe (no effect on training).");

    /// <summary>--seed: the one seed of sampling, partition, budgets, initialisation and batch order.</summary>
    public static readonly Setting<int> Seed = Setting.Int("seed", 42, "The one seed for sampling, partition, budgets, initialisation and batch order.");

    /// <summary>--device: cpu, cuda or cuda:N (<see cref="DeviceChoice.Parse"/>). Operational (<see cref="Setting.Operational"/>).</summary>
    public static readonly Setting<string> Device = Setting.Text("device", "cpu", "cpu, cuda or cuda:N.").AsOperational();

    /// <summary>--threads: intra-op threads for tensor operations; null: one per core. Operational (<see cref="Setting.Operational"/>).</summary>
    public static readonly Setting<int?> Threads = Setting.OptionalInt("threads", "Intra-op threads for tensor operations.", min: 1,
        unsetText: "one per core").AsOperational();

    /// <summary>--prefix-cache-mb: MiB for frozen-prefix outputs kept across rounds, and as much for evaluation activations; 0 keeps none; null: a quarter of RAM. Operational (<see cref="Setting.Operational"/>).</summary>
    public static readonly Setting<int?> PrefixCacheMb = Setting.OptionalInt("prefix-cache-mb",
        "Memory for frozen-prefix outputs kept from round to round, all clients together (the evaluation's kept test activations " +
        "get as much again), in MiB (0 turns the caches off).", min: 0,
        unsetText: "a quarter of RAM").AsOperational();

    /// <summary>--out: the run folder, new or empty (with --resume, the run to continue); null: runs/&lt;timestamp&gt;. Operational (<see cref="Setting.Operational"/>).</summary>
    public static readonly Setting<string?> Out = Setting.OptionalText("out", "Run folder; must be new or empty.", unsetText: "runs/<timestamp>").AsOperational();
}
