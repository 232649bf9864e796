using FedLayers.Aggregation;
using FedLayers.Federation;
using FedLayers.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

public class LayerwiseAggregatorTests
{
    private static readonly LayerGroup First = new("first", 0, LayerRole.Selectable, ["0.weight", "0.bias"], [], 6, 0);
    private static readonly LayerGroup Second = new("second", 1, LayerRole.Selectable, ["1.weight", "1.bias"], [], 3, 0);

    private static ModelState State()
    {
        using var module = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1));
        return ModelState.Capture(module);
    }

    private static ClientUpdate Update(int samples, ModelState like, string group, float value) =>
        new(0, samples, [group], (group == "first" ? First : Second).ParameterNames
            .ToDictionary(n => n, n => full_like(like[n], value)), 0);

    [Fact]
    public void EachGroupTakesTheSampleWeightedMeanOfTheClientsThatTrainedIt()
    {
        using var global = State();
        var before = global["0.weight"].clone();
        var beforeSecond = global["1.weight"].clone();
        var updates = new[] { Update(10, global, "first", 1f), Update(30, global, "first", 5f), Update(7, global, "second", -2f) };

        LayerwiseAggregator.FedAvg.Apply(global, [First, Second], updates);

        // (10 * 1 + 30 * 5) / 40 = 4 for the first group; the second only had one client
        Assert.True(global["0.weight"].allclose(before + 4f, 1e-6, 1e-6));
        Assert.True(global["1.weight"].allclose(beforeSecond - 2f, 1e-6, 1e-6));
    }

    [Fact]
    public void AGroupNobodyTrainedIsBitwiseUnchanged()
    {
        using var global = State();
        var untouched = global["1.weight"].clone();
        var untouchedBias = global["1.bias"].clone();

        LayerwiseAggregator.FedAvg.Apply(global, [First, Second], [Update(5, global, "first", 3f)]);

        Assert.True(TensorAssert.BitwiseEqual(global["1.weight"], untouched));
        Assert.True(TensorAssert.BitwiseEqual(global["1.bias"], untouchedBias));
    }

    [Fact]
    public void IntegerBuffersAreAveragedAndRounded()
    {
        using var module = nn.BatchNorm1d(3);
        using var global = ModelState.Capture(module);
        var group = new LayerGroup("bn", 0, LayerRole.Selectable, ["weight", "bias"], ["running_mean", "running_var", "num_batches_tracked"], 6, 0);
        ClientUpdate Update(int samples, long batches) => new(0, samples, ["bn"],
            group.TensorNames.ToDictionary(n => n, n => n == "num_batches_tracked" ? tensor(batches) : zeros_like(global[n])), 0);

        LayerwiseAggregator.FedAvg.Apply(global, [group], [Update(1, 2), Update(3, 6)]);

        Assert.Equal(ScalarType.Int64, global["num_batches_tracked"].dtype);
        Assert.Equal(5L, global["num_batches_tracked"].item<long>()); // (1*2 + 3*6) / 4
    }

    [Fact]
    public void ClippingThenAMedianPerLayerKeepsAnOutlierOutAndSaysWhatEachClientCounted()
    {
        using var global = State();
        var before = global["0.weight"].clone();
        var beforeSecond = global["1.weight"].clone();
        // three clients on the first group, one of them far off and claiming every sample there is; one on the second
        var updates = new[] { Update(10, global, "first", 1f), Update(10, global, "first", 2f), Update(int.MaxValue, global, "first", 1e4f),
            Update(10, global, "second", 1f) };
        var aggregator = new LayerwiseAggregator(new ClientWeighting(MaxShare: 0.5), new MedianAggregator(), clipNorm: 1);

        var outcome = aggregator.Apply(global, [First, Second], updates);

        // clipped to norm 1 over the 6 values of the first group: 1/sqrt(6) each for the first two and the outlier alike
        float clipped = 1f / MathF.Sqrt(6);
        Assert.True(global["0.weight"].allclose(before + clipped, 1e-6, 1e-6));
        Assert.True(global["1.weight"].allclose(beforeSecond + 1f / MathF.Sqrt(3), 1e-6, 1e-6));
        Assert.Equal(1, outcome.FewestLayerClients); // the second group had one client, where a median protects nothing
        Assert.Equal(0, outcome.ToleratedBadClients);
        Assert.Equal(0.5, outcome.LargestShares[2], 12);
        Assert.Equal(0.25, outcome.LargestShares[0], 12);
        Assert.Equal(1, outcome.LargestShares[3], 12);
        Assert.Equal(1 / (Math.Sqrt(6) * 1e4), outcome.ClipScales[2], 9);
    }

    [Fact]
    public void UnderPrivacyEveryPossibleLayerGetsItsNoisySumAndNoOtherChanges()
    {
        using var global = State();
        var before = global["0.weight"].clone();
        var beforeSecond = global["1.weight"].clone();
        // only the first group can be trained by anyone (expected 2 clients a round); a noise this small leaves the sum
        var privacy = new PrivateAggregation(new DpNoise(1e-9, 1, Seed: 3), new Dictionary<string, double> { ["first"] = 2 });
        var aggregator = new LayerwiseAggregator(new ClientWeighting(BySamples: false), new MeanAggregator(), clipNorm: 1, privacy);

        var outcome = aggregator.Apply(global, [First, Second], [Update(1, global, "first", 0.1f), Update(int.MaxValue, global, "first", 0.2f)], round: 1);
        Assert.Equal([0.5, 0.5], outcome.LargestShares); // each change enters the sum whole, over the denominator 2

        // (0.1 + 0.2) / 2 whatever the sample counts: every client counts once, over the data-independent denominator
        Assert.True(global["0.weight"].allclose(before + 0.15f, 1e-6, 1e-6));
        Assert.True(TensorAssert.BitwiseEqual(global["1.weight"], beforeSecond));

        // a round in which nobody trained the first group still releases its noise, so that no round shows who was sampled
        var afterFirstRound = global["0.weight"].clone();
        var loud = new LayerwiseAggregator(new ClientWeighting(BySamples: false), new MeanAggregator(), clipNorm: 1,
            privacy with { Noise = new DpNoise(1, 1, Seed: 3) });
        loud.Apply(global, [First, Second], [], round: 2);
        Assert.False(TensorAssert.BitwiseEqual(global["0.weight"], afterFirstRound));
        Assert.True(TensorAssert.BitwiseEqual(global["1.weight"], beforeSecond));
        Assert.Throws<InvalidOperationException>(() => loud.Apply(global, [First, Second], [Update(1, global, "second", 1f)], round: 3));
    }
}
