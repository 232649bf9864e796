using FedLayers.Selection;

namespace FedLayers.Tests.Selection;

/// <summary>The three estimators of a client's gradient mass per layer from its probe batches, on hand-computed cases.</summary>
public class ProbeEstimatorTests
{
    // two layers, four batches: sum_b ||G_b||^2 = (10, 4), ||mean_b G_b||^2 = (3, 1)
    private static readonly LayerProbe FourBatches = new([10, 4], [0, 0], [0, 0], 4, [3, 1]);

    [Fact]
    public void BatchSumAndMeanAreTheProbesTwoSums()
    {
        Assert.Equal([10.0, 4.0], FourBatches.GradientMass(ProbeEstimator.BatchSum));
        Assert.Equal([3.0, 1.0], FourBatches.GradientMass(ProbeEstimator.Mean));
    }

    [Fact]
    public void UnbiasedSubtractsTheBetweenBatchVarianceOverTheBatchCount()
    {
        // s^2 = (10 - 4 x 3) / 3 = -2/3 and (4 - 4 x 1) / 3 = 0; minus s^2 / 4: 3 + 1/6 and 1
        var unbiased = FourBatches.GradientMass(ProbeEstimator.Unbiased);
        Assert.Equal(3 + 1.0 / 6, unbiased[0], 12);
        Assert.Equal(1.0, unbiased[1], 12);
    }

    [Fact]
    public void UnbiasedIsCutAtZeroAndIsTheMeanForOneBatch()
    {
        // batches that disagree: mean 1, s^2 = (40 - 2) / 1 = 38, 1 - 38 / 2 < 0
        Assert.Equal([0.0], new LayerProbe([40], [0], [0], 2, [1]).GradientMass(ProbeEstimator.Unbiased));
        Assert.Equal([7.0], new LayerProbe([7], [0], [0], 1, [7]).GradientMass(ProbeEstimator.Unbiased));
    }

    [Fact]
    public void UnbiasedIsUnbiasedOverManyDraws()
    {
        // one coordinate, true gradient 2, batch gradients N(2, 1), five batches: E[mean] = 4 + 1 / 5, E[unbiased] = 4 (the cut at 0
        // almost never applies at this signal; at a weak one it biases upward, as any non-negative estimate of a small square must)
        var random = new Random(3);
        double unbiased = 0, mean = 0;
        const int draws = 20000;
        for (int d = 0; d < draws; d++)
        {
            var batches = Enumerable.Range(0, 5).Select(_ => 2 + Normal(random)).ToArray();
            double average = batches.Average();
            var probe = new LayerProbe([batches.Sum(g => g * g)], [0], [0], 5, [average * average]);
            unbiased += probe.GradientMass(ProbeEstimator.Unbiased)[0] / draws;
            mean += probe.GradientMass(ProbeEstimator.Mean)[0] / draws;
        }
        // standard errors about 0.013
        Assert.InRange(mean, 4.15, 4.25);
        Assert.InRange(unbiased, 3.95, 4.05);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Theory]
    [InlineData(ProbeEstimator.BatchSum, 0)]
    [InlineData(ProbeEstimator.Mean, 1)]
    [InlineData(ProbeEstimator.Unbiased, 1)]
    public void StrategicSelectsByTheEstimatorItWasGiven(ProbeEstimator estimator, int chosenLayer)
    {
        // layer 0 has the larger summed batch norms (noise), layer 1 the larger mean gradient (signal)
        var probe = new LayerProbe([10, 6], [0, 0], [0, 0], 4, [1, 1.4]);
        var masks = new StrategicSelector(lambda: 0, estimator: estimator).Select(SelectionFixtures.Context([1, 1], 2, [probe, probe]));
        Assert.All(masks, mask => Assert.Equal([chosenLayer], SelectionFixtures.Layers(mask)));
    }
}
