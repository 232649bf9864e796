using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Setup;

namespace FedLayers.Tests.Federation;

/// <summary>Short simulations on a slice of the real Fashion-MNIST.</summary>
public class SimulationTests(FashionMnistSlice data) : IClassFixture<FashionMnistSlice>
{
    private static RunConfig Config(string strategy, string folder) => RunConfig.Defaults()
        .With(RunSettings.Model, "small-cnn")
        .With(RunSettings.Strategy, strategy)
        .With(RunSettings.Clients, 8)
        .With(RunSettings.ClientsPerRound, 4)
        .With(RunSettings.Rounds, 3)
        .With(RunSettings.LocalSteps, null)
        .With(RunSettings.Lr, 0.1)
        .With(RunSettings.BatchSize, 16)
        .With(RunSettings.Partition, "dirichlet")
        .With(BuiltInPartitioners.Alpha, 1.0)
        .With(RunSettings.ProbeBatches, 2)
        .With(RunSettings.Out, folder);

    [Fact]
    public async Task AThreeRoundSimulationBeatsRoundZero()
    {
        using var folder = new TempFolder();
        var summary = await Simulation.RunAsync(Config("strategic", folder.Path("run")), data.Splits, [], _ => { });
        Assert.True(summary.FinalAccuracy > summary.InitialAccuracy + 0.15,
            $"final accuracy {summary.FinalAccuracy:P1} should clearly beat round 0 ({summary.InitialAccuracy:P1})");
        var metrics = File.ReadAllLines(folder.Path("run", "metrics.jsonl"));
        Assert.Equal(4, metrics.Length); // rounds 0..3
        Assert.Equal(3, File.ReadAllLines(folder.Path("run", "selections.jsonl")).Length);
        Assert.True(File.Exists(folder.Path("run", "summary.json")));
        Assert.True(File.Exists(folder.Path("run", "config.json")));
    }

    [Theory]
    [InlineData("strategic")]
    [InlineData("rgn")]
    public async Task TheSameSeedGivesIdenticalMetrics(string strategy)
    {
        using var folder = new TempFolder();
        var config = Config(strategy, folder.Path("a")).With(RunSettings.Rounds, 2);
        await Simulation.RunAsync(config, data.Splits, [], _ => { });
        await Simulation.RunAsync(config.With(RunSettings.Out, folder.Path("b")), data.Splits, [], _ => { });
        await Simulation.RunAsync(config.With(RunSettings.Out, folder.Path("c")).With(RunSettings.Seed, 43), data.Splits, [], _ => { });

        Assert.Equal(WithoutTimes(folder.Path("a", "metrics.jsonl")), WithoutTimes(folder.Path("b", "metrics.jsonl")));
        Assert.Equal(File.ReadAllText(folder.Path("a", "selections.jsonl")), File.ReadAllText(folder.Path("b", "selections.jsonl")));
        Assert.NotEqual(WithoutTimes(folder.Path("a", "metrics.jsonl")), WithoutTimes(folder.Path("c", "metrics.jsonl")));
    }

    [Fact]
    public async Task TheRealResNet18KeepsTopsFrozenPrefixAcrossRoundsWithTheNumbersOfRecomputingIt()
    {
        using var folder = new TempFolder();
        // top-1: every client in every round, a whole local epoch over its 60 images: round 2 finds every prefix output kept
        var config = Config("top", folder.Path("kept")).With(RunSettings.Model, "resnet18").With(RunSettings.Clients, 4)
            .With(RunSettings.ClientsPerRound, 4).With(RunSettings.Rounds, 2).With(RunSettings.MaxSamplesPerClient, 60)
            .With(RunSettings.EvalSamples, 200).With(RunSettings.Lr, 0.01).With(RunSettings.MinLayers, 1).With(RunSettings.MaxLayers, 1);
        await Simulation.RunAsync(config.With(RunSettings.Out, folder.Path("recomputed")).With(RunSettings.PrefixCacheMb, 0), data.Splits, [], _ => { });

        // the simulation's wiring, with a cache the test can look into
        using (var setup = FederationSetup.Build(config, data.Splits, _ => { }))
        using (var prober = FederationSetup.ProberOf(setup.Config, setup.Model, setup.Device))
        using (var carryover = new CrossRoundPrefixCache(long.MaxValue))
        {
            var channel = new InProcessClientChannel(setup.Tensors.Train, setup.Shards, new ClientTrainer(setup.Model, setup.Device), prober,
                setup.Training, setup.Config.Get(RunSettings.Seed), carryover);
            await setup.RunServerAsync(channel, resume: false, writePartition: true, [], CancellationToken.None);
            Assert.Equal(4, carryover.Clients);
        }

        Assert.Equal(WithoutTimes(folder.Path("recomputed", "metrics.jsonl")), WithoutTimes(folder.Path("kept", "metrics.jsonl")));
    }

    [Fact]
    public async Task SourcePartitionOnImagesWithoutDomainsIsAUserErrorAndWritesNothing()
    {
        using var folder = new TempFolder();
        var config = Config("top", folder.Path("run")).With(RunSettings.Partition, "source");
        var error = await Assert.ThrowsAsync<UserInputException>(() => Simulation.RunAsync(config, data.Splits, [], _ => { }));
        Assert.Contains("--partition source", error.Message);
        Assert.False(Directory.Exists(folder.Path("run")));
    }

    [Fact]
    public async Task MiniLmRunsOnASpamAssassinSliceWithTheSourcePartition()
    {
        var corpus = SpamAssassin.Load(SpamAssassin.DefaultDirectory);
        // 30 training and 10 test e-mails from each of the five groups.
        var byGroup = Enumerable.Range(0, corpus.Count).GroupBy(i => corpus.Domains[i]).ToList();
        var splits = new TextSplits(corpus.Select(byGroup.SelectMany(g => g.Take(30)).ToList()), corpus.Select(byGroup.SelectMany(g => g.Skip(30).Take(10)).ToList()));
        using var folder = new TempFolder();
        var config = RunConfig.Defaults()
            .With(RunSettings.Model, "minilm")
            .With(RunSettings.Dataset, "spamassassin")
            .With(RunSettings.Strategy, "top")
            .With(RunSettings.Clients, 6)
            .With(RunSettings.ClientsPerRound, 2)
            .With(RunSettings.Rounds, 1)
            .With(RunSettings.LocalSteps, 2)
            .With(RunSettings.BatchSize, 8)
            .With(BuiltInModels.MaxSeqLen, 32)
            .With(RunSettings.Partition, "source")
            .With(RunSettings.Out, folder.Path("run"));
        await Simulation.RunAsync(config, splits, [], _ => { });
        Assert.Equal(2, File.ReadAllLines(folder.Path("run", "metrics.jsonl")).Length);
    }

    /// <summary>A metrics.jsonl file's lines without the wall-clock seconds, which differ between equal runs.</summary>
    internal static List<string> WithoutTimes(string metricsFile) =>
        File.ReadAllLines(metricsFile).Select(line => System.Text.RegularExpressions.Regex.Replace(line, "\"seconds\":[^,}]*", "")).ToList();
}

/// <summary>The first 2000 training and 1000 test images of the real Fashion-MNIST, loaded once per test class.</summary>
public sealed class FashionMnistSlice : IDisposable
{
    public FashionMnistSlice()
    {
        var (train, test) = FashionMnist.Load();
        using (train) Train = train.Take(2000);
        using (test) Test = test.Take(1000);
    }

    public LabeledDataset Train { get; }
    public LabeledDataset Test { get; }

    /// <summary>Both parts for <see cref="Simulation.RunAsync(RunConfig, DatasetSplits, IReadOnlyList{FedLayers.Reporting.IRoundSink}, Action{string}, CancellationToken, bool)"/>; this fixture keeps ownership.</summary>
    public TensorSplits Splits => new(Train, Test);

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
