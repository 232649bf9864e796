using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Reporting;
using FedLayers.Selection;
using TorchSharp;

namespace FedLayers.Cli;

/// <summary><c>fedlayers simulate</c>: a whole federation in this process.</summary>
public static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("simulate", "Run a federated fine-tuning simulation in this process and write a run folder.");
        var config = new Option<string>("--config") { Description = "JSON file with option names (without dashes) as keys; options given here override it." };
        command.Options.Add(config);
        var overrides = new List<Func<ParseResult, (string Key, JsonNode? Value)?>>();
        void Add<T>(string key, string description)
        {
            var option = new Option<T>("--" + key) { Description = description };
            command.Options.Add(option);
            overrides.Add(parse => parse.GetResult(option) is { Implicit: false }
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
        Add<int>("min-layers", $"Smallest client budget in layers (default {defaults.MinLayers}).");
        Add<int>("max-layers", $"Largest client budget in layers (default {defaults.MaxLayers}).");
        Add<double>("lambda", $"Strategic: weight of the disagreement penalty, scale-free (default {defaults.Lambda}).");
        Add<int>("select-every", $"Re-select layers every N rounds, reuse in between (default {defaults.SelectEvery}).");
        Add<int>("probe-batches", $"Mini-batches per gradient probe (rgn, snr, strategic) (default {defaults.ProbeBatches}).");
        Add<int?>("image-size", $"resnet18: side images are resized to (default: the dataset's, at least {ModelCatalog.MinimumResNetImageSize}).");
        Add<int>("max-seq-len", $"Text models: tokens per text after truncation and padding (default {defaults.MaxSeqLen}).");
        Add<int>("seed", $"The one seed for sampling, partition, budgets, initialisation and batch order (default {defaults.Seed}).");
        Add<string>("device", $"cpu, cuda or cuda:N (default {defaults.Device}).");
        Add<int?>("threads", "Intra-op threads for tensor operations (default: one per core).");
        Add<int?>("prefix-cache-mb", "Memory for cached frozen-prefix outputs during one client's training, in MiB (default: a quarter of RAM; 0 turns the cache off).");
        Add<string>("out", "Run folder (default runs/<timestamp>); must be new or empty.");

        command.SetAction(parse =>
        {
            var given = overrides.Select(o => o(parse)).OfType<(string Key, JsonNode? Value)>().ToDictionary(o => o.Key, o => o.Value);
            var resolved = SimulationConfigJson.Resolve(parse.GetValue(config), given);
            resolved = resolved with { Out = resolved.Out ?? RunFolder.DefaultPath() };
            resolved.Validate();
            torch.set_num_threads(resolved.Threads ?? Environment.ProcessorCount);
            var progress = new ConsoleProgress(output, resolved.Rounds);
            output.WriteLine($"fedlayers simulate: {resolved.Model} on {resolved.Dataset}, strategy {resolved.Strategy}, " +
                             $"{resolved.Clients} clients ({resolved.ClientsPerRound} per round), {resolved.Rounds} rounds -> {resolved.Out}");
            var summary = Simulation.RunAsync(resolved, [progress], message => error.WriteLine($"warning: {message}"))
                .GetAwaiter().GetResult();
            SummaryTable.Write(output, summary, resolved.Out!);
            return 0;
        });
        return command;
    }
}
