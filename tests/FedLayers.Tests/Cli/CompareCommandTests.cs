namespace FedLayers.Tests.Cli;

public class CompareCommandTests
{
    [Theory]
    [InlineData("--strategies", "top,random", "--strategies", "random")]
    [InlineData("--strategies", "top,top", "--strategies", "twice")]
    [InlineData("--seeds", "1,two", "--seeds", "'two'")]
    [InlineData("--seeds", "3,3", "--seeds", "twice")]
    [InlineData("--target-accuracy", "1.5", "--target-accuracy", "at most 1")]
    [InlineData("--rounds", "0", "--rounds", "at least 1")]
    [InlineData("--endpoint-rounds", "0", "--endpoint-rounds", "at least 1")]
    [InlineData("--reference", "nonesuch", "--reference", "not among the compared strategies")]
    public void ABadOptionIsNamedAndNothingIsWritten(string option, string value, string named, string expectation)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("compare", "--model", "small-cnn", option, value, "--out", folder.Path("comparison"));
        Assert.Equal(2, code);
        Assert.Contains(named, error);
        Assert.Contains(expectation, error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(folder.Path("comparison")));
    }

    [Fact]
    public void StrategyAndSeedAreSetPerRunNotAsOptions()
    {
        var (code, _, error) = CliRunner.Run("compare", "--strategy", "top");
        Assert.Equal(2, code);
        Assert.Contains("--strategy", error);
    }
}
