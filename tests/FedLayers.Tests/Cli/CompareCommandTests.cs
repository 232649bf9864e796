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
    [InlineData("--lambdas", "0,-1", "--lambdas", "'-1' is not a number of at least 0")]
    [InlineData("--lambdas", "0.1,0.10", "--lambdas", "twice")]
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

    [Theory]
    [InlineData("--strategies", "top,full", "strategic is not among --strategies")]
    [InlineData("--lambda", "0.5", "leave out --lambda")]
    public void LambdasNeedStrategicAndNoLambda(string option, string value, string expectation)
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("compare", "--model", "small-cnn", "--lambdas", "0,1", option, value, "--out", folder.Path("comparison"));
        Assert.Equal(2, code);
        Assert.Contains("--lambdas: ", error);
        Assert.Contains(expectation, error);
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
