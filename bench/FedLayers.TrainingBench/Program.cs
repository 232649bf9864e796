// Training-speed figures of selective fine-tuning, measured in one process (bench/run.sh adds the
// figures that need whole CLI runs). Prints one "name: value" line per figure.
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Models.Bert;
using FedLayers.Models.ResNet;
using FedLayers.TrainingBench;
using TorchSharp;

torch.set_num_threads(Environment.ProcessorCount);
torch.manual_seed(1);
long cacheBytes = LocalTrainingOptions.DefaultPrefixCacheBytes;
const int BatchSize = 32;

static void Report(string name, double value) => Console.WriteLine($"{name}: {value:0.###}");
static bool[] All(LayeredModel model) => model.SelectableGroups.Select(_ => true).ToArray();
static bool[] TopOne(LayeredModel model) => model.SelectableGroups.Select((_, l) => l == model.SelectableGroups.Count - 1).ToArray();

/// Full and top-1 fine-tuning of one model, top-1 also without the cache; returns the full epoch's seconds and the cache's speed-up.
(double FullEpochSeconds, double CacheSpeedup) CompareEpochs(string name, LocalEpochTimer timer, LayeredModel model)
{
    double full = timer.SecondsPerLaterEpoch(All(model), cacheBytes);
    double top = timer.SecondsPerLaterEpoch(TopOne(model), cacheBytes);
    double topUncached = timer.SecondsPerLaterEpoch(TopOne(model), 0);
    Report($"{name}_full_epoch_seconds", full);
    Report($"{name}_top1_epoch_seconds", top);
    Report($"{name}_top1_uncached_epoch_seconds", topUncached);
    Report($"{name}_top1_vs_full_epoch_speedup", full / top);
    Report($"{name}_cache_speedup", topUncached / top);
    return (full, topUncached / top);
}

// MiniLM: 64 texts of 128 tokens, two steps per epoch
using (var texts = BenchData.Tokens(64, 128, MiniLm.Config.VocabSize))
using (var minilm = MiniLm.CreateClassifier(2, 128))
{
    var timer = new LocalEpochTimer(minilm, texts, BatchSize, epochs: 3, repeats: 3);
    var (full, cacheSpeedup) = CompareEpochs("minilm", timer, minilm);
    Report("cache_speedup", cacheSpeedup);

    // a training step is about 3 forward passes: forward, and backward to inputs and to weights
    double stepFlops = 3.0 * BatchSize * minilm.Groups.Sum(g => g.ForwardFlopsPerSample);
    double stepGflops = stepFlops / (full / timer.StepsPerEpoch) / 1e9;
    double matmulGflops = MatmulRate.GigaflopsPerSecond();
    Report("train_step_gflops", stepGflops);
    Report("matmul_gflops", matmulGflops);
    Report("train_step_gflops_share", stepGflops / matmulGflops);
}

// ResNet18 at 32 x 32 (simulate's default for Fashion-MNIST): 256 images, eight steps per epoch
using (var images = BenchData.Images(256))
using (var resnet = PretrainedResNet.Create(2, images.Pixels!, 32))
    CompareEpochs("resnet18", new LocalEpochTimer(resnet, images, BatchSize, epochs: 3, repeats: 5), resnet);
