using FedLayers.Federation;
using FedLayers.Selection;
using FedLayers.Setup;

namespace FedLayers.Tests.Setup;

/// <summary>A choice setting: the command line and the JSON files speak its words, the library gets its enum values.</summary>
public class ChoiceSettingTests
{
    private static readonly Setting<ProbeEstimator> Estimator = RunSettings.ProbeEstimatorChoice;

    [Theory]
    [InlineData("batch-sum", ProbeEstimator.BatchSum)]
    [InlineData("mean", ProbeEstimator.Mean)]
    [InlineData("unbiased", ProbeEstimator.Unbiased)]
    public void AWordReadsAsItsValueAndTheValueWritesAsItsWord(string word, ProbeEstimator value)
    {
        Assert.Equal(value, Estimator.Parse(word));
        Assert.Equal(word, Estimator.TextOf(value));
    }

    [Fact]
    public void TheDefaultIsShownAsItsWord() => Assert.Equal("mean", Estimator.DefaultText);

    [Fact]
    public void ConfigJsonWritesTheWordAndReadsItBack()
    {
        var config = RunConfig.Defaults().With(Estimator, ProbeEstimator.Unbiased).With(RunSettings.ProbeModeChoice, ProbeMode.Train);

        var json = RunConfigJson.ToJson(config);
        var read = RunConfigJson.Deserialize(RunConfigJson.Serialize(config), "config.json", config.Registries);

        Assert.Equal("unbiased", json["probe-estimator"]!.GetValue<string>());
        Assert.Equal("train", json["probe-mode"]!.GetValue<string>());
        Assert.Equal(ProbeEstimator.Unbiased, read.Get(Estimator));
        Assert.Equal(ProbeMode.Train, read.Get(RunSettings.ProbeModeChoice));
        Assert.Null(RunConfigJson.FirstDifference(config, read));
    }

    [Fact]
    public void AnUnknownWordOnTheCommandLineIsRefusedListingTheWords()
    {
        var e = Assert.Throws<UserInputException>(() => Estimator.Parse("median"));
        Assert.Equal("--probe-estimator: expected one of batch-sum, mean, unbiased, got 'median'", e.Message);
    }

    [Theory]
    [InlineData("""{"probe-estimator": "median"}""", "'probe-estimator' (or --probe-estimator): expected one of batch-sum, mean, unbiased, got 'median'")]
    [InlineData("""{"probe-mode": 1}""", "'probe-mode' (or --probe-mode): expected a string, got 1")]
    [InlineData("""{"probe-mode": null}""", "'probe-mode' (or --probe-mode): expected a string, got null")]
    public void AConfigurationValueThatIsNoWordOfTheChoiceNamesTheFileAndKey(string json, string expected)
    {
        var e = Assert.Throws<UserInputException>(() => RunConfigJson.Deserialize(json, "saved.json", Registries.BuiltIn()));
        Assert.Equal($"saved.json: {expected}", e.Message);
    }

    [Fact]
    public void AChoiceWithoutAWordForEveryValueIsRefusedWhenDeclared()
    {
        var e = Assert.Throws<ArgumentException>(() => Setting.Choice("probe-mode", ProbeMode.Eval, "Probe mode.", ("eval", ProbeMode.Eval)));
        Assert.StartsWith("probe-mode: no word for ProbeMode.Auto", e.Message);
    }
}
