using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Selection;

namespace FedLayers.Cli;

/// <summary>
/// The options that define a simulation, one per <see cref="SimulationConfig"/> key, plus
/// <c>--config</c>: defaults, then the JSON file, then the options given on the command line.
/// <c>simulate</c> has them all; <c>compare</c> leaves out the ones it sets per run.
/// </summary>
public sealed class SimulationOptions
{
    private readonly Option<string> _config = new("--config")
    {
        Description = "JSON file with option names (without dashes) as keys; options given here override it.",
    };
    private readonly List<Func<ParseResult, (string Key, JsonNode? Value)?>> _overrides = [];
    private readonly Dictionary<string, Option> _byKey = [];

    /// <param name="leftOut">keys the command sets itself, e.g. compare's strategy, seed and out.</param>
    public SimulationOptions(Command command, IReadOnlySet<string>? leftOut = null)
    {
        command.Options.Add(_config);
        void Add<T>(string key, string description)
        {
            if (leftOut?.Contains(key) == true) return;
            var option = new Option<T>("--" + key) { Description = description };
            command.Options.Add(option);
            _byKey[key] = option;
            _overrides.Add(parse => parse.GetResult(option) is { Implicit: false }
                ? (key, JsonSerializer.SerializeToNode(parse.GetValue(option)))
                : null);
        }
        var defaults = new SimulationConfig();
        Add<string>("dataset", $"Dataset: {string.Join(", ", DatasetCatalog.Names)} (default {defaults.Dataset}).");
        Add<string>("model", $"Model: {string.Join(", ", ModelCatalog.Names)} (default {defaults.Model}).");
        Add<string>("strategy", $"Layer selection strategy: {string.Join(", ", StrategyCatalog.Names)} (default {defaults.Strategy}).");
        Add<int>("clients", $"Number of clients N (default {defaults.Clients}).");
        Add<int>("clients-per-round", $"Clients sampled per round K (default {defaults.ClientsPerRound}).");
        Add<int>("rounds", $"Federated rounds (default {defaults.Rounds}).");
        Add<int>("local-epochs", $"Local epochs per round (default {defaults.LocalEpochs}).");
        Add<int?>("local-steps", "Local SGD steps per round; overrides --local-epochs.");
        Add<double>("lr", $"SGD learning rate (default {defaults.Lr}).");
        Add<int>("batch-size", $"Mini-batch size (default {defaults.BatchSize}).");
        Add<string>("partition", $"Data split: {string.Join(", ", PartitionerCatalog.Names)} (default {defaults.Partition}).");
        Add<double>("alpha", $"Dirichlet concentration; smaller is more skewed (default {defaults.Alpha}).");
        Add<int>("min-samples-per-client", $"A partition must give every client at least this many samples (default {defaults.MinSamplesPerClient}).");
        Add<int?>("max-samples-per-client", "Cap every client's samples (a seeded draw), for quick runs.");
        Add<int?>("eval-samples", "Evaluate on a seeded random subset of this many test samples (default: the whole test set).");
        Add<string>("cost", $"Cost of a layer and unit of budgets: {string.Join(", ", LayerCosts.Units)} (default {defaults.Cost}).");
        Add<int>("min-layers", $"--cost layers: smallest client budget in layers (default {SimulationConfig.DefaultMinLayers}).");
        Add<int>("max-layers", $"--cost layers: largest client budget in layers (default {SimulationConfig.DefaultMaxLayers}).");
        Add<double>("min-budget", $"--cost params|flops: smallest client budget, a fraction in (0, 1] of all selectable layers' cost (default {SimulationConfig.DefaultMinBudget}).");
        Add<double>("max-budget", $"--cost params|flops: largest client budget, a fraction in (0, 1] of all selectable layers' cost (default {SimulationConfig.DefaultMaxBudget}).");
        Add<double>("lambda", $"Strategic: weight of the disagreement penalty, scale-free (default {defaults.Lambda}).");
        Add<int>("select-every", $"Re-select layers every N rounds, reuse in between (default {defaults.SelectEvery}).");
        Add<int?>("min-clients", "A round needs this many clients to succeed, else it is retried with a new sample (default: --clients-per-round).");
        Add<double?>("round-timeout", "Seconds a round waits for its clients; late clients are left out of it (default: no deadline; serve: 1800).");
        Add<int>("round-attempts", $"How often one round is tried before the run stops (default {defaults.RoundAttempts}).");
        Add<int>("probe-batches", $"Mini-batches per gradient probe (rgn, snr, strategic) (default {defaults.ProbeBatches}).");
        Add<bool>("diagnostics", "Probe every round to log the theory's two selection terms in metrics.jsonl, also for strategies that do not probe (no effect on training).");
        Add<int?>("image-size", $"resnet18: side images are resized to (default: the dataset's, at least {ModelCatalog.MinimumResNetImageSize}).");
        Add<int>("max-seq-len", $"Text models: tokens per text after truncation and padding (default {defaults.MaxSeqLen}).");
        Add<int>("seed", $"The one seed for sampling, partition, budgets, initialisation and batch order (default {defaults.Seed}).");
        Add<string>("device", $"cpu, cuda or cuda:N (default {defaults.Device}).");
        Add<int?>("threads", "Intra-op threads for tensor operations (default: one per core).");
        Add<int?>("prefix-cache-mb", "Memory for cached frozen-prefix outputs during one client's training, in MiB (default: a quarter of RAM; 0 turns the cache off).");
        Add<string>("out", "Run folder (default runs/<timestamp>); must be new or empty.");
    }

    /// <summary>Whether the command line itself sets <paramref name="key"/> (not a default nor --config).</summary>
    public bool IsGiven(ParseResult parse, string key) =>
        _byKey.TryGetValue(key, out var option) && parse.GetResult(option) is { Implicit: false };

    /// <summary>The configuration the command line asks for, validated.</summary>
    /// <param name="resume">the base is the config.json of the run in --out instead of the defaults and --config,
    /// so only the options given here can differ from it (and the run checks they may).</param>
    public SimulationConfig Resolve(ParseResult parse, bool resume = false)
    {
        var given = _overrides.Select(o => o(parse)).OfType<(string Key, JsonNode? Value)>().ToDictionary(o => o.Key, o => o.Value);
        var configFile = parse.GetValue(_config);
        if (resume)
        {
            if (configFile is not null) throw new UserInputException("--config: not used with --resume; the run continues with the config.json in its --out folder");
            var folder = given.GetValueOrDefault("out")?.GetValue<string>()
                         ?? throw new UserInputException("--resume: needs --out, the folder of the run to continue");
            configFile = Path.Combine(folder, "config.json");
            if (!File.Exists(configFile)) throw new UserInputException($"--resume: '{configFile}' does not exist; expected the folder of a run");
        }
        var resolved = SimulationConfigJson.Resolve(configFile, given);
        resolved.Validate();
        return resolved;
    }
}
