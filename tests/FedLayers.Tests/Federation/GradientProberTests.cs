using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Selection;
using FedLayers.Setup;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

public class GradientProberTests
{
    [Fact]
    public void SquaredNormsAreThoseOfPlainBackpropagationAndWeightsDoNotMove()
    {
        using var data = TinyData.Images(48);
        var samples = Enumerable.Range(0, data.Count).ToList();
        torch.manual_seed(12);
        using var model = new SmallCnn(data.NumClasses);
        using var global = ModelState.Capture(model);
        var prober = new GradientProber(model, CPU);

        var probe = prober.Probe(global, data, samples, 2, 16, new Random(5));
        var again = prober.Probe(global, data, samples, 2, 16, new Random(5));

        var expected = new double[model.SelectableGroups.Count];
        model.eval();
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var gradientSums = parameters.ToDictionary(p => p.Key, p => zeros_like(p.Value));
        foreach (var batch in BatchOrder.Batches(samples, 16, 1, 2, new Random(5)))
        {
            model.zero_grad();
            var (x, y) = data.Batch(batch, CPU);
            nn.functional.cross_entropy(model.forward(x), y).backward();
            for (int l = 0; l < expected.Length; l++)
                expected[l] += model.SelectableGroups[l].ParameterNames.Sum(n => parameters[n].grad!.square().sum().item<float>());
            foreach (var (name, sum) in gradientSums) sum.add_(parameters[name].grad!);
        }
        // the squared norm of the gradient averaged over the two batches
        var expectedMean = model.SelectableGroups.Select(group => group.ParameterNames.Sum(n => (gradientSums[n] / 2).square().sum().item<float>())).ToList();

        Assert.Equal(2, probe.Batches);
        for (int l = 0; l < expected.Length; l++)
        {
            Assert.Equal(expected[l], probe.SquaredGradNorm[l], expected[l] * 1e-4);
            Assert.Equal(expectedMean[l], probe.MeanGradSquaredNorm[l], expectedMean[l] * 1e-4);
        }
        // the kept buffers start from zero at every probe
        Assert.Equal(probe.SquaredGradNorm, again.SquaredGradNorm);
        Assert.Equal(probe.RelativeGradNorm, again.RelativeGradNorm);
        Assert.Equal(probe.SignalToNoise, again.SignalToNoise);
        Assert.Equal(probe.MeanGradSquaredNorm, again.MeanGradSquaredNorm);
        foreach (var name in global.Names)
            Assert.True(TensorAssert.BitwiseEqual(model.state_dict()[name], global[name]), $"{name} changed");
    }

    [Fact]
    public void AProbeFreesEveryTensorItMakesBesidesItsKeptSums()
    {
        using var data = TinyData.Images(48);
        var samples = Enumerable.Range(0, data.Count).ToList();
        torch.manual_seed(12);
        using var model = new SmallCnn(data.NumClasses);
        using var global = ModelState.Capture(model);
        using var prober = new GradientProber(model, CPU);
        prober.Probe(global, data, samples, 2, 16, new Random(5)); // makes the kept gradient sums

        // a tensor left to the finaliser stays counted until a collection: large intermediates of a large model piled up so
        long before = Tensor.TotalCount;
        prober.Probe(global, data, samples, 2, 16, new Random(6));
        Assert.True(Tensor.TotalCount <= before, $"{Tensor.TotalCount - before} tensors of the probe were not disposed");
    }

    [Fact]
    public void AutogradStartsAtTheLowestSelectableGroupWithOneForwardPerBatch()
    {
        using var data = TinyData.Images(32, classes: 3, size: 4);
        torch.manual_seed(2);
        using var model = new LinearChainModel(16, selectable: 3, classes: 3);
        using var global = ModelState.Capture(model);

        new GradientProber(model, CPU).Probe(global, data, Enumerable.Range(0, 32).ToList(), 3, 8, new Random(4));

        Assert.Equal(3 * model.Groups.Count, model.Runs.Count);
        Assert.All(model.Runs.Where(r => r.Group == 0), r => Assert.False(r.GradEnabled || r.InGraph));
        Assert.All(model.Runs.Where(r => r.Group > 0), r => Assert.True(r.GradEnabled && r.InGraph, $"group {r.Group}"));
    }

    /// <summary>One client's 48 tiny images, in three probe batches of 16, and a model with batch norm in every group and
    /// dropout in the selectable ones: what the probe's mode changes. Its running statistics are moved away from their initial
    /// values, so that eval and train normalise differently.</summary>
    private sealed class NormalisedCase : IDisposable
    {
        public const int Batches = 3, BatchSize = 16;

        public NormalisedCase(double dropout)
        {
            torch.manual_seed(8);
            Model = CustomModel.Staged("normalised-mlp", Data.NumClasses,
            [
                new("input", LayerRole.Fixed, nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.BatchNorm1d(8), nn.Tanh())),
                new("block1", LayerRole.Selectable, nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Dropout(dropout), nn.Tanh())),
                new("block2", LayerRole.Selectable, nn.Sequential(nn.Linear(8, 8), nn.BatchNorm1d(8), nn.Dropout(dropout), nn.Tanh())),
                new("head", LayerRole.Common, nn.Sequential(nn.Linear(8, Data.NumClasses), nn.BatchNorm1d(Data.NumClasses))),
            ]);
            Model.train();
            using (no_grad())
                foreach (var batch in Samples.Chunk(BatchSize)) Model.forward(Data.InputsAt(batch, CPU)).Dispose();
            Model.eval();
            Global = ModelState.Capture(Model);
        }

        public LabeledDataset Data { get; } = TinyData.Images(Batches * BatchSize, size: 4);
        public List<int> Samples => [.. Enumerable.Range(0, Data.Count)];
        public CustomModel Model { get; }
        public ModelState Global { get; }

        /// <summary>A probe of <see cref="Model"/> (or another module of the same layout) at <see cref="Global"/>, on the stream of <paramref name="seed"/>.</summary>
        public LayerProbe Probe(ProbeMode mode, int seed = 5, LayeredModel? model = null)
        {
            using var prober = new GradientProber(model ?? Model, CPU, mode: mode);
            return Probe(prober, seed);
        }

        public LayerProbe Probe(GradientProber prober, int seed = 5) => prober.Probe(Global, Data, Samples, Batches, BatchSize, new Random(seed));

        public void Dispose()
        {
            Global.Dispose();
            Model.Dispose();
            Data.Dispose();
        }
    }

    [Fact]
    public void TrainModeProbesInTheModesOfTrainingAndDiffersFromEvalMode()
    {
        using var probed = new NormalisedCase(dropout: 0);
        var train = probed.Probe(ProbeMode.Train);
        var eval = probed.Probe(ProbeMode.Eval);

        // training's modes: the selectable and common groups normalise by the batch, the fixed input group by its running statistics
        var model = probed.Model;
        model.TrainOnly(["block1", "block2", "head"]);
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expected = new double[model.SelectableGroups.Count];
        foreach (var batch in BatchOrder.Batches(probed.Samples, NormalisedCase.BatchSize, 1, NormalisedCase.Batches, new Random(5)))
        {
            model.zero_grad();
            var (x, y) = probed.Data.Batch(batch, CPU);
            nn.functional.cross_entropy(model.forward(x), y).backward();
            for (int l = 0; l < expected.Length; l++)
                expected[l] += model.SelectableGroups[l].ParameterNames.Sum(n => parameters[n].grad!.square().sum().item<float>());
        }
        for (int l = 0; l < expected.Length; l++)
        {
            Assert.Equal(expected[l], train.SquaredGradNorm[l], expected[l] * 1e-4);
            Assert.True(Math.Abs(train.SquaredGradNorm[l] - eval.SquaredGradNorm[l]) > 0.05 * eval.SquaredGradNorm[l],
                $"layer {l}: train {train.SquaredGradNorm[l]}, eval {eval.SquaredGradNorm[l]}");
        }
    }

    [Fact]
    public void ATrainModeProbeLeavesEveryTensorAndTorchsGeneratorAsItFoundThem()
    {
        using var probed = new NormalisedCase(dropout: 0.5);
        var (model, global) = (probed.Model, probed.Global);
        var trainer = new ClientTrainer(model, CPU);
        var training = new LocalTrainingOptions(1, 3, 0.1, 16);
        using var evaluator = new Evaluator(model, probed.Data, CPU);
        (ClientUpdate Update, double Accuracy, double Loss) Follow()
        {
            var update = trainer.Train(0, global, probed.Data, probed.Samples, ["block2", "head"], training, new Random(9));
            var (accuracy, loss) = evaluator.Evaluate(global);
            return (update, accuracy, loss);
        }

        var without = Follow();
        torch.manual_seed(7);
        using var expectedDraw = torch.rand(4);
        global.LoadInto(model);
        using var before = ModelState.Capture(model);
        torch.manual_seed(7);
        probed.Probe(ProbeMode.Train);
        using var draw = torch.rand(4);
        Assert.True(TensorAssert.BitwiseEqual(expectedDraw, draw), "the probe moved torch's generator");
        var after = model.state_dict();
        Assert.Contains(after.Keys, name => name.EndsWith("running_var"));
        Assert.Contains(after.Keys, name => name.EndsWith("num_batches_tracked"));
        foreach (var name in before.Names)
            Assert.True(TensorAssert.BitwiseEqual(after[name], before[name]), $"{name} changed");
        var with = Follow();

        Assert.Equal(without.Update.TrainLoss, with.Update.TrainLoss);
        foreach (var (name, delta) in without.Update.Deltas)
            Assert.True(TensorAssert.BitwiseEqual(delta, with.Update.Deltas[name]), $"the delta of {name} differs after a probe");
        Assert.Equal((without.Accuracy, without.Loss), (with.Accuracy, with.Loss));
        without.Update.Dispose();
        with.Update.Dispose();
    }

    [Fact]
    public void TheSameStreamGivesTheSameTrainModeProbeWhateverTorchsGeneratorHolds()
    {
        using var probed = new NormalisedCase(dropout: 0.5);
        using var withoutDropout = new NormalisedCase(dropout: 0);

        torch.manual_seed(1);
        var probe = probed.Probe(ProbeMode.Train);
        torch.manual_seed(2);
        var again = probed.Probe(ProbeMode.Train);
        // the same weights and statistics (the probe loads them) without dropout
        var undropped = probed.Probe(ProbeMode.Train, model: withoutDropout.Model);

        Assert.Equal(probe.SquaredGradNorm, again.SquaredGradNorm);
        Assert.Equal(probe.MeanGradSquaredNorm, again.MeanGradSquaredNorm);
        Assert.Equal(probe.RelativeGradNorm, again.RelativeGradNorm);
        Assert.Equal(probe.SignalToNoise, again.SignalToNoise);
        Assert.NotEqual(undropped.SquaredGradNorm, probe.SquaredGradNorm);
    }

    [Fact]
    public void ARunsProberProbesInTheModeItsConfigurationChose()
    {
        using var probed = new NormalisedCase(dropout: 0);
        var defaults = RunConfig.Defaults();
        LayerProbe ProbeOf(RunConfig config)
        {
            using var prober = FederationSetup.ProberOf(config, probed.Model, CPU);
            return probed.Probe(prober);
        }

        var train = ProbeOf(defaults.With(RunSettings.ProbeModeChoice, ProbeMode.Train));
        var eval = ProbeOf(defaults.With(RunSettings.ProbeModeChoice, ProbeMode.Eval));
        Assert.Equal(probed.Probe(ProbeMode.Train).SquaredGradNorm, train.SquaredGradNorm);
        Assert.Equal(probed.Probe(ProbeMode.Eval).SquaredGradNorm, eval.SquaredGradNorm);
        Assert.NotEqual(eval.SquaredGradNorm, train.SquaredGradNorm);
        // the default, auto, on a model with batch norm
        Assert.Equal(train.SquaredGradNorm, ProbeOf(defaults).SquaredGradNorm);
    }

    [Fact]
    public void AutoProbesInTrainModeExactlyWhenTheModelHasBatchNorm()
    {
        using var normalised = new NormalisedCase(dropout: 0.5);
        torch.manual_seed(8);
        using var dropoutOnly = CustomModel.Staged("dropout-mlp", normalised.Data.NumClasses,
        [
            new("input", LayerRole.Fixed, nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.Tanh())),
            new("block1", LayerRole.Selectable, nn.Sequential(nn.Linear(8, 8), nn.Dropout(0.5), nn.Tanh())),
            new("head", LayerRole.Common, nn.Linear(8, normalised.Data.NumClasses)),
        ]);
        using var withBatchNorm = new GradientProber(normalised.Model, CPU);
        using var withoutBatchNorm = new GradientProber(dropoutOnly, CPU);

        Assert.Equal(ProbeMode.Train, withBatchNorm.Mode);
        Assert.Equal(ProbeMode.Eval, withoutBatchNorm.Mode);
        Assert.Equal(normalised.Probe(ProbeMode.Train).SquaredGradNorm, normalised.Probe(withBatchNorm).SquaredGradNorm);
        // without batch norm the probe is dropout-free: eval mode's, not train mode's
        using var global = ModelState.Capture(dropoutOnly);
        LayerProbe ProbeDropoutOnly(GradientProber prober) =>
            prober.Probe(global, normalised.Data, normalised.Samples, NormalisedCase.Batches, NormalisedCase.BatchSize, new Random(5));
        using var eval = new GradientProber(dropoutOnly, CPU, mode: ProbeMode.Eval);
        using var train = new GradientProber(dropoutOnly, CPU, mode: ProbeMode.Train);
        var auto = ProbeDropoutOnly(withoutBatchNorm);
        Assert.Equal(ProbeDropoutOnly(eval).SquaredGradNorm, auto.SquaredGradNorm);
        Assert.NotEqual(ProbeDropoutOnly(train).SquaredGradNorm, auto.SquaredGradNorm);
    }
}
