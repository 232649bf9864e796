using FedLayers.Aggregation;
using static TorchSharp.torch;

namespace FedLayers.Tests.Aggregation;

/// <summary>The noisy sum of DP-FedAvg: the stated standard deviation, seeded, and the sum underneath.</summary>
public class DpNoiseTests
{
    private static readonly DpNoise Noise = new(NoiseMultiplier: 1.5, ClipNorm: 2, Seed: 7);

    [Fact]
    public void TheNoiseHasTheStatedStandardDeviationAroundTheSum()
    {
        // 200,000 coordinates of two clients' changes 1 and 3: the sum 4, over the denominator 4, is 1; the noise z S / 4 = 0.75
        using var first = ones([200_000], ScalarType.Float64);
        using var second = full([200_000], 3.0, ScalarType.Float64);
        using var released = Noise.Release(first, [first, second], denominator: 4, "layer.weight", round: 3);
        double mean = released.mean().item<double>(), std = released.std().item<double>();
        // the sample mean is within 5 standard errors (0.75 / sqrt(200000) = 0.0017) and the sample deviation within 1 %
        Assert.InRange(mean, 1 - 0.0085, 1 + 0.0085);
        Assert.InRange(std, 0.75 * 0.99, 0.75 * 1.01);
        Assert.Equal(3, Noise.StandardDeviation, 12); // z S
    }

    [Fact]
    public void TheNoiseIsSeededByTheRunTheRoundAndTheTensor()
    {
        using var change = zeros([1000], ScalarType.Float64);
        double[] Draw(DpNoise noise, string name, int round)
        {
            using var released = noise.Release(change, [], 1, name, round);
            return released.data<double>().ToArray();
        }
        Assert.Equal(Draw(Noise, "a", 1), Draw(Noise, "a", 1));
        Assert.NotEqual(Draw(Noise, "a", 1), Draw(Noise, "a", 2));
        Assert.NotEqual(Draw(Noise, "a", 1), Draw(Noise, "b", 1));
        Assert.NotEqual(Draw(Noise, "a", 1), Draw(Noise with { Seed = 8 }, "a", 1));
    }

    [Fact]
    public void ANonPositiveMultiplierIsRefused() =>
        Assert.Equal("NoiseMultiplier", Assert.Throws<ArgumentException>(() => new DpNoise(0, 1, 1)).ParamName);
}
