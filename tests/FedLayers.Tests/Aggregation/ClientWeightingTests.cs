using FedLayers.Aggregation;

namespace FedLayers.Tests.Aggregation;

/// <summary>What a client's update counts for: its samples or one vote, and never more than the cap, whatever it declares.</summary>
public class ClientWeightingTests
{
    private static void AssertShares(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
        Assert.Equal(1, actual.Sum(), 12);
    }

    [Fact]
    public void SamplesOrUniform()
    {
        AssertShares([0.25, 0.75], new ClientWeighting().Shares([10, 30]));
        AssertShares([0.5, 0.5], new ClientWeighting(BySamples: false).Shares([10, 30]));
    }

    [Fact]
    public void AShareAboveTheCapIsCutAndTheRestSharedInProportion()
    {
        AssertShares([0.5, 0.5], new ClientWeighting(MaxShare: 0.5).Shares([10, 30]));
        AssertShares([1.0 / 6, 1.0 / 6, 1.0 / 6, 0.5], new ClientWeighting(MaxShare: 0.5).Shares([100, 100, 100, int.MaxValue]));
        // water-filling: 1000 is capped at 0.4, then 2 of the remaining 0.6 would be 0.4, which is allowed
        AssertShares([0.2, 0.4, 0.4], new ClientWeighting(MaxShare: 0.4).Shares([1, 2, 1000]));
        // two capped in turn: 0.3, 0.3, then the rest in proportion 1 : 3
        AssertShares([0.1, 0.3, 0.3, 0.3], new ClientWeighting(MaxShare: 0.3).Shares([1, 3, 500, 1000]));
    }

    [Fact]
    public void TooFewClientsForTheCapShareEqually()
    {
        AssertShares([0.5, 0.5], new ClientWeighting(MaxShare: 0.3).Shares([5, 1000]));
        AssertShares([1], new ClientWeighting(MaxShare: 0.5).Shares([int.MaxValue]));
    }

    [Fact]
    public void ACapOutsideZeroToOneIsRefused() =>
        Assert.Equal("MaxShare", Assert.Throws<ArgumentException>(() => new ClientWeighting(MaxShare: 0)).ParamName);
}
