using FedLayers.Setup;
using FedLayers.Tests.Cli;

namespace FedLayers.Tests.Setup;

/// <summary>Options are read and checked by their settings: one sentence naming the option, exit 2, no parser type names.</summary>
public class SettingOptionTests
{
    /// <summary>Every floating-point option of simulate: the run's own and every registered entry's.</summary>
    public static TheoryData<string, string> FloatingPointOptionsAndNonFiniteValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var setting in Registries.BuiltIn().Settings.Where(s => s is Setting<double> or Setting<double?>))
            foreach (var value in new[] { "nan", "NaN", "inf", "-Infinity" })
                data.Add(setting.Option, value);
        return data;
    }

    [Theory]
    [MemberData(nameof(FloatingPointOptionsAndNonFiniteValues))]
    public void EveryFloatingPointOptionRefusesNaNAndInfinities(string option, string value)
    {
        var (code, _, error) = CliRunner.Run("simulate", option, value, "--out", "never-written");
        Assert.Equal(2, code);
        Assert.StartsWith($"fedlayers: {option}: expected a finite number, got '{value}'", error);
        Assert.False(Directory.Exists("never-written"));
    }

    [Theory]
    [InlineData("simulate", "--rounds", "many", "--rounds: expected a whole number, got 'many'")]
    [InlineData("simulate", "--lr", "fast", "--lr: expected a finite number, got 'fast'")]
    [InlineData("simulate", "--threads", "1.5", "--threads: expected a whole number, got '1.5'")]
    [InlineData("compare", "--target-accuracy", "nan", "--target-accuracy: expected a finite number, got 'nan'")]
    [InlineData("compare", "--target-accuracy", "1.5", "--target-accuracy: must be at most 1, got 1.5")]
    [InlineData("join", "--retry-seconds", "inf", "--retry-seconds: expected a finite number, got 'inf'")]
    [InlineData("inspect", "--classes", "two", "--classes: expected a whole number, got 'two'")]
    public void AParseErrorIsOneCleanSentence(string command, string option, string value, string expected)
    {
        string[] rest = command == "join" ? ["--server", "https://127.0.0.1:1", "--client-id", "a", "--token", "t"]
            : command == "inspect" ? ["--model", "minilm"] : [];
        var (code, _, error) = CliRunner.Run([command, option, value, .. rest]);
        Assert.Equal(2, code);
        Assert.Equal($"fedlayers: {expected}", error.TrimEnd());
    }

    [Fact]
    public void AConfigurationFileValueOfTheWrongKindNamesTheFileAndKey()
    {
        using var folder = new TempFolder();
        var file = folder.Path("config.json");
        File.WriteAllText(file, """{"lr": "fast"}""");
        var (code, _, error) = CliRunner.Run("simulate", "--config", file);
        Assert.Equal(2, code);
        Assert.Contains($"--config {file}: 'lr' (or --lr): expected a number, got \"fast\"", error);
    }

    [Fact]
    public void LambdaIsCheckedByTheStrategyThatReadsIt()
    {
        var (code, _, error) = CliRunner.Run("simulate", "--lambda", "-1", "--out", "never-written");
        Assert.Equal(2, code);
        Assert.Equal("fedlayers: --lambda: must be a finite number >= 0", error.TrimEnd());
    }

    [Theory]
    [InlineData("--strategy top --lambda 0.5", "--lambda: read by strategy strategic only")]
    [InlineData("--partition iid --alpha 0.1", "--alpha: read by partition dirichlet only")]
    [InlineData("--model small-cnn --image-size 64", "--image-size: read by model resnet18 only")]
    public void ASettingTheRunDoesNotReadIsRefused(string options, string expected)
    {
        var (code, _, error) = CliRunner.Run(["simulate", .. options.Split(' '), "--out", "never-written"]);
        Assert.Equal(2, code);
        Assert.Contains(expected, error);
    }
}
