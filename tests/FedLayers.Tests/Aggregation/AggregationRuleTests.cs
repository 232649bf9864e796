using FedLayers.Aggregation;
using static TorchSharp.torch;

namespace FedLayers.Tests.Aggregation;

/// <summary>Mean, trimmed mean and median against hand-computed results, for layers trained by 1, 2 and 3 clients.</summary>
public class AggregationRuleTests
{
    // three clients' changes of one two-coordinate tensor
    private static readonly double[][] Changes = [[1, 5], [10, -1], [-4, 2]];

    private static double[] Combine(ILayerAggregator rule, int clients, double[]? shares = null)
    {
        var deltas = Changes.Take(clients).Select(c => tensor(c, ScalarType.Float64)).ToList();
        using var combined = rule.Combine(deltas, shares ?? Enumerable.Repeat(1.0 / clients, clients).ToArray());
        return combined.data<double>().ToArray();
    }

    [Fact]
    public void TheMeanWeighsEachClientByItsShare()
    {
        Assert.Equal([2, 2.75], Combine(new MeanAggregator(), 3, [0.5, 0.25, 0.25])); // 0.5*1 + 0.25*10 - 0.25*4, 0.5*5 - 0.25 + 0.5
        Assert.Equal([1, 5], Combine(new MeanAggregator(), 1, [1]));
    }

    [Fact]
    public void TheMedianTakesTheMiddleValuePerCoordinate()
    {
        Assert.Equal([1, 2], Combine(new MedianAggregator(), 3)); // sorted: (-4, 1, 10) and (-1, 2, 5)
        Assert.Equal([5.5, 2], Combine(new MedianAggregator(), 2)); // two clients: their mean
        Assert.Equal([1, 5], Combine(new MedianAggregator(), 1));
        Assert.Equal([1, 2], Combine(new MedianAggregator(), 3, [0.98, 0.01, 0.01])); // weights do not buy a client the median
    }

    [Fact]
    public void TheTrimmedMeanDropsTheFloorOfTheFractionAtEachEnd()
    {
        Assert.Equal([1, 2], Combine(new TrimmedMeanAggregator(0.34), 3)); // floor(1.02) = 1 dropped at each end
        var untrimmed = Combine(new TrimmedMeanAggregator(0.2), 3); // floor(0.6) = 0: the plain mean
        Assert.Equal(7.0 / 3, untrimmed[0], 12);
        Assert.Equal(2, untrimmed[1], 12);
        Assert.Equal([5.5, 2], Combine(new TrimmedMeanAggregator(0.34), 2)); // floor(0.68) = 0
    }

    [Fact]
    public void EveryRuleCombinesFloat32ChangesInFloat64()
    {
        // 2^24 and 1 as the clients send them: their mean 2^23 + 0.5 has no float32, and a sum in float32 would round it away
        var deltas = new[] { tensor(new[] { 16777216f }), tensor(new[] { 1f }) };
        foreach (var rule in new ILayerAggregator[] { new MeanAggregator(), new MedianAggregator(), new TrimmedMeanAggregator(0.2) })
        {
            using var combined = rule.Combine(deltas, [0.5, 0.5]);
            Assert.Equal(ScalarType.Float64, combined.dtype);
            Assert.Equal(8388608.5, combined.item<double>());
        }
        Assert.Equal(ScalarType.Float32, deltas[0].dtype); // the clients' changes are left as they were
    }

    [Theory]
    [InlineData(1, 0, 0, 0)]
    [InlineData(2, 0, 0, 0)]
    [InlineData(3, 0, 1, 0)]
    [InlineData(4, 0, 1, 0)]
    [InlineData(5, 0, 2, 1)]
    public void EachRuleSaysHowManyBadClientsItTolerates(int clients, int mean, int median, int trimmedByAFifth)
    {
        Assert.Equal(mean, new MeanAggregator().ToleratedBadClients(clients));
        Assert.Equal(median, new MedianAggregator().ToleratedBadClients(clients));
        Assert.Equal(trimmedByAFifth, new TrimmedMeanAggregator(0.2).ToleratedBadClients(clients));
    }

    [Fact]
    public void ATrimFractionThatCouldLeaveNoClientIsRefused() =>
        Assert.Equal("trimFraction", Assert.Throws<ArgumentException>(() => new TrimmedMeanAggregator(0.5)).ParamName);
}
