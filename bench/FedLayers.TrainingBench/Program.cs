// Training-speed figures of selective fine-tuning, measured in one process (bench/run.sh adds the
// figures that need whole CLI runs). Prints one "name: value" line per figure.
// "peer minilm|resnet18 top1|full ROUNDS" instead times federated rounds for bench/peer.sh (PeerRounds).
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Models.Bert;
using FedLayers.Models.ResNet;
using FedLayers.TrainingBench;
using TorchSharp;

if (args is ["peer", var shape, var arm, var rounds])
{
    await PeerRounds.RunAsync(shape, arm, int.Parse(rounds), Console.Out);
    return;
}

torch.set_num_threads(Environment.ProcessorCount);
torch.manual_seed(1);
long cacheBytes = LocalTrainingOptions.DefaultPrefixCacheBytes;
const int BatchSize = 32;

static void Report(string name, double value) => Console.WriteLine($"{name}: {value:0.###}");
static bool[] All(LayeredModel model) => model.SelectableGroups.Select(_ => true).ToArray();
static bool[] TopOne(LayeredModel model) => model.SelectableGroups.Select((_, l) => l == model.SelectableGroups.Count - 1).ToArray();

// Full and top-1 fine-tuning of one model, top-1 also without the cache, interleaved; also the matrix-multiply rate.
Interleaved CompareEpochs(string name, LocalEpochTimer timer, LayeredModel model, int repeats)
{
    var runs = new Interleaved(new Dictionary<string, Func<double>>
    {
        ["full"] = () => timer.SecondsPerLaterEpoch(All(model), cacheBytes),
        ["top1"] = () => timer.SecondsPerLaterEpoch(TopOne(model), cacheBytes),
        ["top1_uncached"] = () => timer.SecondsPerLaterEpoch(TopOne(model), 0),
        ["matmul_gflops"] = () => MatmulRate.GigaflopsPerSecond(),
    }, repeats).Run();
    Report($"{name}_full_epoch_seconds", runs.Median("full"));
    Report($"{name}_top1_epoch_seconds", runs.Median("top1"));
    Report($"{name}_top1_uncached_epoch_seconds", runs.Median("top1_uncached"));
    Report($"{name}_top1_vs_full_epoch_speedup", runs.Median(r => r["full"] / r["top1"]));
    Report($"{name}_cache_speedup", runs.Median(r => r["top1_uncached"] / r["top1"]));
    return runs;
}

// MiniLM: 64 texts of 128 tokens, two steps per epoch
using (var texts = BenchData.Tokens(64, 128, MiniLm.Config.VocabSize))
using (var minilm = MiniLm.CreateClassifier(2, 128))
{
    var timer = new LocalEpochTimer(minilm, texts, BatchSize, epochs: 3);
    var runs = CompareEpochs("minilm", timer, minilm, repeats: 3);
    Report("cache_speedup", runs.Median(r => r["top1_uncached"] / r["top1"]));

    // a training step is about 3 forward passes: forward, and backward to inputs and to weights
    double stepFlops = 3.0 * BatchSize * minilm.Groups.Sum(g => g.ForwardFlopsPerSample);
    double StepGflops(Dictionary<string, double> r) => stepFlops / (r["full"] / timer.StepsPerEpoch) / 1e9;
    Report("train_step_gflops", runs.Median(StepGflops));
    Report("matmul_gflops", runs.Median("matmul_gflops"));
    Report("train_step_gflops_share", runs.Median(r => StepGflops(r) / r["matmul_gflops"]));
}

// ResNet18 at 32 x 32 (simulate's default for Fashion-MNIST): 256 images, eight steps per epoch
using (var images = BenchData.Images(256))
using (var resnet = PretrainedResNet.Create(2, images.Pixels!, 32))
    CompareEpochs("resnet18", new LocalEpochTimer(resnet, images, BatchSize, epochs: 3), resnet, repeats: 5);
