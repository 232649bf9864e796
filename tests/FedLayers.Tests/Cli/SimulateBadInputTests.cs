namespace FedLayers.Tests.Cli;

/// <summary>Every bad input gets one clear message naming the option or file, exit code 2, no stack trace.</summary>
public class SimulateBadInputTests
{
    private static void AssertRejected(string[] args, params string[] expectedInMessage)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run(["simulate", .. args, "--out", folder.Path("run")]);
        Assert.Equal(2, code);
        foreach (var expected in expectedInMessage) Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Exception", error);
        Assert.False(Directory.Exists(folder.Path("run")), "a rejected run must not create its run folder");
    }

    [Theory]
    [InlineData("--strategy", "random", "--strategy", "strategic")]
    [InlineData("--model", "resnet1000", "--model", "resnet18")]
    [InlineData("--image-size", "8", "--image-size", "between 16 and 1024")]
    [InlineData("--dataset", "mnist-digits", "--dataset", "fashion-mnist")]
    [InlineData("--partition", "zipf", "--partition", "dirichlet")]
    [InlineData("--alpha", "0", "--alpha", "positive")]
    [InlineData("--alpha", "-1", "--alpha", "positive")]
    [InlineData("--min-layers", "0", "--min-layers", "at least 1")]
    [InlineData("--eval-every", "0", "--eval-every", "at least 1")]
    [InlineData("--max-layers", "10", "--max-layers", "9 selectable layers")]
    [InlineData("--clients-per-round", "30", "--clients-per-round", "--clients")]
    [InlineData("--rounds", "many", "--rounds", "many")]
    [InlineData("--device", "tpu", "--device", "cpu")]
    [InlineData("--device", "cuda", "--device cuda: this build's LibTorch runtime", "rebuild with -p:FedLayersLibTorch=libtorch-cuda-12.8-linux-x64")]
    [InlineData("--eval-samples", "0", "--eval-samples", "at least 1")]
    [InlineData("--threads", "0", "--threads", "at least 1")]
    [InlineData("--prefix-cache-mb", "-1", "--prefix-cache-mb", "at least 0")]
    [InlineData("--optimizer", "lion", "--optimizer", "sgd, adam, adamw")]
    [InlineData("--momentum", "1", "--momentum", "less than 1")]
    [InlineData("--lr-schedule", "linear", "--lr-schedule", "constant, cosine, step")]
    [InlineData("--label-smoothing", "nan", "--label-smoothing", "finite number")]
    [InlineData("--clip-norm", "0", "--clip-norm", "greater than 0")]
    [InlineData("--clip-norm", "-1", "--clip-norm", "greater than 0")]
    [InlineData("--max-client-weight", "1.5", "--max-client-weight", "at most 1")]
    [InlineData("--weighting", "equal", "--weighting", "expected one of samples, uniform")]
    [InlineData("--budget-distribution", "foo", "--budget-distribution", "expected one of centred, reference")]
    [InlineData("--aggregator", "krum", "--aggregator", "mean, trimmed-mean, median")]
    [InlineData("--strategic-weights", "foo", "--strategic-weights", "expected one of equal, samples, got 'foo'")]
    public void ABadOptionIsNamed(string option, string value, string named, string expectation) =>
        AssertRejected([option, value], named, expectation);

    [Fact]
    public void AMaxSampleCapBelowTheMinimumIsRejected() =>
        AssertRejected(["--max-samples-per-client", "5", "--min-samples-per-client", "10"], "--max-samples-per-client", "--min-samples-per-client");

    [Fact]
    public void MinAboveMaxIsRejected() => AssertRejected(["--min-layers", "3", "--max-layers", "2"], "--min-layers", "--max-layers");

    [Theory]
    [InlineData("--cost gpu-hours", "--cost", "layers, params, flops")]
    [InlineData("--cost params --min-budget 0", "--min-budget", "(0, 1]")]
    [InlineData("--cost flops --max-budget 1.5", "--max-budget", "(0, 1]")]
    [InlineData("--cost params --min-budget 0.6 --max-budget 0.3", "--min-budget", "--max-budget")]
    [InlineData("--min-budget 0.2", "--min-budget", "--cost layers")]
    [InlineData("--cost layers --max-budget 0.5", "--max-budget", "--min-layers/--max-layers")]
    [InlineData("--cost params --max-layers 3", "--max-layers", "--min-budget/--max-budget")]
    [InlineData("--cost flops --min-layers 1", "--min-layers", "--cost flops")]
    [InlineData("--cost params --budget-distribution reference", "--budget-distribution", "--cost params")]
    [InlineData("--optimizer adam --momentum 0.9", "--momentum", "optimizer sgd")]
    [InlineData("--model small-cnn --nesterov", "--nesterov", "momentum above 0")]
    [InlineData("--aggregator trimmed-mean --trim-fraction 0.5", "--trim-fraction", "less than 0.5")]
    [InlineData("--trim-fraction 0.3", "--trim-fraction", "aggregator trimmed-mean")]
    [InlineData("--dp-noise-multiplier 1", "--dp-noise-multiplier", "needs --clip-norm")]
    [InlineData("--dp-delta 0.001", "--dp-delta", "only with --dp-noise-multiplier")]
    [InlineData("--dp-delta 1", "--dp-delta", "less than 1")]
    [InlineData("--probe-estimator median", "--probe-estimator", "unbiased")]
    [InlineData("--probe-estimator unbiased --probe-batches 1", "--probe-estimator", "unbiased needs --probe-batches of at least 2")]
    [InlineData("--probe-mode foo", "--probe-mode", "expected one of auto, eval, train, got 'foo'")]
    [InlineData("--transfer-dtype int8", "--transfer-dtype", "expected one of float32, bfloat16, float16, got 'int8'")]
    [InlineData("--clip-norm 1 --dp-noise-multiplier 1 --strategy rgn", "--strategy rgn", "not released privately")]
    [InlineData("--clip-norm 1 --dp-noise-multiplier 1 --strategy top --dp-probe-noise-multiplier 2", "--dp-probe-noise-multiplier", "strategy strategic only")]
    [InlineData("--strategy strategic --dp-probe-noise-multiplier 2", "--dp-probe-noise-multiplier", "only with --dp-noise-multiplier")]
    [InlineData("--clip-norm 1 --dp-noise-multiplier 1 --strategy strategic --dp-probe-noise-multiplier 0", "--dp-probe-noise-multiplier", "greater than 0")]
    [InlineData("--clip-norm 1 --dp-noise-multiplier 1 --strategy top --diagnostics", "--diagnostics", "accountant does not count")]
    [InlineData("--clip-norm 1 --dp-noise-multiplier 1 --strategy strategic --strategic-weights samples", "--strategic-weights samples", "population profile")]
    [InlineData("--strategy top --fill-budget", "--fill-budget", "strategy strategic only")]
    [InlineData("--clip-norm 1 --dp-noise-multiplier 1 --strategy top --aggregator median", "--aggregator median", "noisy sum")]
    [InlineData("--clip-norm 1 --dp-noise-multiplier 0.3 --strategy top --dp-epsilon-budget 0.01", "--dp-epsilon-budget", "spent by the first round")]
    public void ABadCombinationOfOptionsIsNamed(string options, string named, string expectation) =>
        AssertRejected(options.Split(' '), named, expectation);

    [Fact]
    public void AnUnknownOptionIsRejected() => AssertRejected(["--colour", "blue"], "--colour");

    [Fact]
    public void AMissingFashionMnistFileIsNamed()
    {
        using var data = new TempFolder();
        AssertRejected(["--dataset", $"fashion-mnist:{data.Root}"], Path.Combine(data.Root, "train-images-idx3-ubyte.gz"));
    }

    [Fact]
    public void ACorruptIdxFileIsNamed()
    {
        using var data = new TempFolder();
        foreach (var file in Directory.GetFiles("/usr/share/datasets/fashion-mnist"))
            File.Copy(file, data.Path(Path.GetFileName(file)));
        var labels = data.Path("t10k-labels-idx1-ubyte.gz");
        File.WriteAllBytes(labels, File.ReadAllBytes(labels)[..2000]);
        AssertRejected(["--dataset", $"fashion-mnist:{data.Root}"], labels);
    }

    [Theory]
    [InlineData("{ \"rounds\": 3, ", "not valid JSON")]
    [InlineData("{ \"roundz\": 3 }", "roundz")]
    [InlineData("{ \"rounds\": \"three\" }", "rounds")]
    [InlineData("[1, 2]", "JSON object")]
    public void AMalformedConfigFileIsNamed(string contents, string expectation)
    {
        using var folder = new TempFolder();
        var config = folder.Path("config.json");
        File.WriteAllText(config, contents);
        AssertRejected(["--config", config], config, expectation);
    }

    [Fact]
    public void AMissingConfigFileIsNamed() => AssertRejected(["--config", "/nonexistent/fedlayers.json"], "/nonexistent/fedlayers.json");

    [Fact]
    public void ANonEmptyOutFolderIsRefusedAndKept()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Path("keep.txt"), "earlier results");
        var (code, _, error) = CliRunner.Run("simulate", "--out", folder.Root, "--rounds", "1");
        Assert.Equal(2, code);
        Assert.Contains("--out", error);
        Assert.Equal("earlier results", File.ReadAllText(folder.Path("keep.txt")));
    }
}
