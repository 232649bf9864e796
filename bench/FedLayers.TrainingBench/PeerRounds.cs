using System.Diagnostics;
using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Models.Bert;
using FedLayers.Models.ResNet;
using FedLayers.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.TrainingBench;

/// <summary>
/// The FedLayers side of bench/peer.sh: rounds of one selective federation run by the library's own round code
/// (<see cref="Server"/> over an <see cref="InProcessClientChannel"/>), each timed, to set beside bench/peer/peer.py, an eager
/// PyTorch program that does the same rounds. Every client has a budget of one layer; all clients take part in every round.
/// </summary>
public static class PeerRounds
{
    /// <summary>Runs <paramref name="rounds"/> rounds and writes <c>seconds: s1 s2 ...</c>, one figure per round, after a line
    /// naming the groups the first client trained.</summary>
    /// <param name="shape">"minilm" (2 clients of 32 texts of 64 tokens, 2 epochs of batch 16) or "resnet18" (5 clients of
    /// 320 images of 32 x 32 in 10 classes, 1 epoch of batch 32).</param>
    /// <param name="arm">"top1" (the last selectable group and the head) or "full" (every selectable group and the head).</param>
    /// <param name="rounds">training rounds, all timed.</param>
    /// <param name="output">where the lines go.</param>
    public static async Task RunAsync(string shape, string arm, int rounds, TextWriter output)
    {
        torch.set_num_threads(2);
        torch.manual_seed(1);
        var (model, train, clients, training) = shape switch
        {
            // random weights: only the time counts, and both sides start from their own random ones
            "minilm" => ((LayeredModel)new BertClassifier(MiniLm.Config, 2, 64), BenchData.Tokens(64, 64, MiniLm.Config.VocabSize), 2,
                new LocalTrainingOptions(Epochs: 2, Steps: null, LearningRate: 0.01, BatchSize: 16)),
            // the packaged network, for its layout (blocks per stage, paddings); its weights do not change the work
            "resnet18" => (PretrainedResNet.Create(10, new PixelNormalization([0.5f, 0.5f, 0.5f], [0.5f, 0.5f, 0.5f]), 32),
                BenchData.Images(1600, 32, channels: 3, classes: 10), 5, new LocalTrainingOptions(Epochs: 1, Steps: null, LearningRate: 0.01, BatchSize: 32)),
            _ => throw new ArgumentException($"unknown shape '{shape}': expected minilm or resnet18", nameof(shape)),
        };
        ILayerSelector selector = arm switch
        {
            "top1" => new TopSelector(),
            "full" => new FullSelector(),
            _ => throw new ArgumentException($"unknown arm '{arm}': expected top1 or full", nameof(arm)),
        };
        using var _ = model;
        using var data = train;
        int perClient = data.Count / clients;
        var shards = Enumerable.Range(0, clients).Select(c => Enumerable.Range(c * perClient, perClient).ToArray()).ToList();
        using var test = data.Take(16);
        using var global = ModelState.Capture(model);
        using var prober = new GradientProber(model, CPU);
        using var carryover = CrossRoundPrefixCache.WithCapacity(training.PrefixCacheBytes);
        using var channel = new InProcessClientChannel(data, shards, new ClientTrainer(model, CPU), prober, training, seed: 1, carryover);
        using var evaluator = new Evaluator(model, test, CPU);
        var layerCosts = LayerCosts.Of(model.SelectableGroups, LayerCosts.Layers);
        // the server evaluates after round 0, every EvalEvery rounds and after its last round: with one round more than
        // are run, and that as EvalEvery, no timed round evaluates
        var options = new ServerOptions(Rounds: rounds + 1, ClientsPerRound: clients, SelectEvery: 1, ProbeBatches: 1, Seed: 1) { EvalEvery = rounds + 1 };
        var server = new Server(model.Groups, global, channel, selector, Enumerable.Repeat(1.0, clients).ToList(), layerCosts, evaluator, options, []);

        var seconds = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            var record = await server.RunRoundAsync(round, CancellationToken.None);
            seconds.Add(clock.Elapsed.TotalSeconds);
            if (round == 1) output.WriteLine($"trained: {string.Join(", ", record.Clients[0].Groups)}");
        }
        output.WriteLine($"seconds: {string.Join(" ", seconds.Select(s => s.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
