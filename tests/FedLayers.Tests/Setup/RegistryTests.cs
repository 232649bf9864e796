using System.Text.Json;
using FedLayers.Selection;
using FedLayers.Setup;

namespace FedLayers.Tests.Setup;

/// <summary>The registries: closed to mistakes (unknown names, twice-registered names, clashing settings), open to a program's own entries.</summary>
public class RegistryTests
{
    /// <summary>A strategy a user might add: every k-th layer from the output end first, then the rest.</summary>
    private sealed class StrideSelector(int stride) : FixedOrderSelector
    {
        public override string Name => "stride";

        protected override IEnumerable<int> Order(int layerCount)
        {
            var first = Enumerable.Range(0, layerCount).Reverse().Where((_, k) => k % stride == 0).ToList();
            return first.Concat(Enumerable.Range(0, layerCount).Reverse().Except(first));
        }
    }

    private static readonly Setting<int> Stride = Setting.Int("stride", 2, "Take every STRIDE-th layer from the output end first.", min: 1);

    private static Registries WithStride()
    {
        var registries = Registries.BuiltIn();
        registries.Strategies.Add(new StrategyEntry("stride", "Every k-th layer from the output end.", a => new StrideSelector(a.Config.Get(Stride)))
        {
            Settings = [Stride],
        });
        return registries;
    }

    [Theory]
    [InlineData("--strategy", "random", "unknown strategy 'random'; expected one of full, head, top, bottom, both, rgn, snr, strategic")]
    [InlineData("--model", "resnet1000", "unknown model 'resnet1000'; expected one of resnet18, minilm, small-cnn, small-transformer, hf:PATH")]
    [InlineData("--dataset", "mnist", "unknown dataset 'mnist'; expected one of fashion-mnist[:PATH], spamassassin[:PATH], cifar10:PATH, imagefolder:PATH, textfile:PATH")]
    [InlineData("--partition", "zipf", "unknown partition 'zipf'; expected one of iid, dirichlet, domain, source")]
    [InlineData("--dataset", "cifar10", "--dataset cifar10: expected cifar10:PATH")]
    [InlineData("--model", "small-cnn:/models", "--model small-cnn:/models: model small-cnn takes no path")]
    public void AnUnknownNameListsTheRegisteredOnes(string option, string value, string expected)
    {
        var (code, _, error) = Cli.CliRunner.Run("simulate", option, value, "--out", "never-written");
        Assert.Equal(2, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void ANameIsRegisteredOnce()
    {
        var registries = Registries.BuiltIn();
        var error = Assert.Throws<ArgumentException>(() => registries.Strategies.Add(new StrategyEntry("top", "again", _ => new TopSelector())));
        Assert.Contains("'top' is registered already", error.Message);
    }

    [Fact]
    public void TwoSettingsMayNotShareAName()
    {
        var registries = Registries.BuiltIn();
        var otherLambda = Setting.Number("lambda", 1, "Another lambda.");
        var error = Assert.Throws<ArgumentException>(() =>
            registries.Strategies.Add(new StrategyEntry("mine", "mine", _ => new TopSelector()) { Settings = [otherLambda] }));
        Assert.Contains("'lambda'", error.Message);
        Assert.Throws<ArgumentException>(() =>
            registries.Strategies.Add(new StrategyEntry("mine", "mine", _ => new TopSelector()) { Settings = [Setting.Int("rounds", 1, "clash")] }));
    }

    [Fact]
    public void AnEighthStrategyIsOneEntryAndTheCommandLineOffersItWithItsOption()
    {
        var registries = WithStride();
        var output = new StringWriter();
        Assert.Equal(0, FedLayers.Cli.Program.Run(["simulate", "--help"], output, TextWriter.Null, registries: registries));
        Assert.Contains("stride", output.ToString());
        Assert.Contains("Strategy stride: take every STRIDE-th layer", output.ToString());

        using var folder = new TempFolder();
        var error = new StringWriter();
        int code = FedLayers.Cli.Program.Run(["simulate", "--strategy", "stride", "--stride", "2", "--model", "small-cnn", "--clients", "4",
            "--clients-per-round", "2", "--rounds", "1", "--local-steps", "1", "--max-samples-per-client", "20", "--eval-samples", "50",
            "--min-layers", "2", "--max-layers", "2", "--out", folder.Path("run")], TextWriter.Null, error, registries: registries);
        Assert.True(code == 0, error.ToString());
        using var round = JsonDocument.Parse(File.ReadLines(folder.Path("run", "selections.jsonl")).First());
        foreach (var client in round.RootElement.GetProperty("clients").EnumerateArray())
            Assert.Equal(["blocks.3", "blocks.5", "head"], client.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        using var config = JsonDocument.Parse(File.ReadAllText(folder.Path("run", "config.json")));
        Assert.Equal(2, config.RootElement.GetProperty("stride").GetInt32());
    }

    [Fact]
    public void AStrategySettingIsCheckedByItsOwnRule()
    {
        var error = new StringWriter();
        Assert.Equal(2, FedLayers.Cli.Program.Run(["simulate", "--strategy", "stride", "--stride", "0", "--out", "never-written"],
            TextWriter.Null, error, registries: WithStride()));
        Assert.Equal("fedlayers: --stride: must be at least 1, got 0", error.ToString().TrimEnd());
    }
}
