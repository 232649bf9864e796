using FedLayers.Data;

namespace FedLayers.Tests.Data;

public sealed class PartitionerTests
{
    private const int Classes = 10;

    // 500 samples per class, classes interleaved as in a shuffled data set.
    private static readonly long[] Labels = Enumerable.Range(0, 5000).Select(i => (long)(i % Classes)).ToArray();

    public static TheoryData<string> PartitionerNames => ["iid", "dirichlet"];

    private static IPartitioner Create(string name) => name switch
    {
        "iid" => new IidPartitioner(),
        _ => new DirichletPartitioner(alpha: 0.5, minSamplesPerClient: 10),
    };

    private static int[][] Split(IPartitioner partitioner, int clients, int seed = 42, long[]? labels = null) =>
        partitioner.Split(labels ?? Labels, Classes, clients, SeededRandom.For(seed, "partition"));

    /// <summary>Per client, the fraction of its samples that belong to its most frequent class.</summary>
    private static double[] LargestClassShares(int[][] shards) =>
        shards.Select(shard => shard.GroupBy(i => Labels[i]).Max(g => g.Count()) / (double)shard.Length).ToArray();

    [Theory]
    [MemberData(nameof(PartitionerNames))]
    public void EveryIndexIsAssignedExactlyOnce(string name)
    {
        var shards = Split(Create(name), clients: 13);

        Assert.Equal(13, shards.Length);
        Assert.Equal(Enumerable.Range(0, Labels.Length), shards.SelectMany(s => s).Order());
    }

    [Theory]
    [MemberData(nameof(PartitionerNames))]
    public void SameSeedGivesTheSamePartitionAndAnotherSeedAnother(string name)
    {
        var first = Split(Create(name), clients: 8, seed: 1);
        var again = Split(Create(name), clients: 8, seed: 1);
        var other = Split(Create(name), clients: 8, seed: 2);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [MemberData(nameof(PartitionerNames))]
    public void NonPositiveClientCountIsAUserError(string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Split(Create(name), clients: 0));

        Assert.Equal("clients", error.ParamName);
    }

    [Fact]
    public void IidShardSizesDifferByAtMostOne()
    {
        var labels = Enumerable.Range(0, 5003).Select(i => (long)(i % Classes)).ToArray();

        var sizes = Split(new IidPartitioner(), clients: 7, labels: labels).Select(s => s.Length).ToArray();

        Assert.Equal(5003, sizes.Sum());
        Assert.InRange(sizes.Max() - sizes.Min(), 0, 1);
    }

    [Fact]
    public void IidMoreClientsThanSamplesIsAUserError()
    {
        var error = Assert.Throws<ArgumentException>(() => Split(new IidPartitioner(), clients: Labels.Length + 1));

        Assert.Equal("clients", error.ParamName);
    }

    [Fact]
    public void DirichletWithSmallAlphaGivesEachClientFewClasses()
    {
        var shards = Split(new DirichletPartitioner(alpha: 0.1, minSamplesPerClient: 1), clients: 20);

        // Uniform would be 0.1; over 100 seeds this average ranged from 0.55 to 0.74.
        Assert.True(LargestClassShares(shards).Average() > 0.5);
    }

    [Fact]
    public void DirichletWithLargeAlphaIsNearUniform()
    {
        var shards = Split(new DirichletPartitioner(alpha: 1000, minSamplesPerClient: 1), clients: 10);

        // Each client should hold about 500 samples, about 50 of each class.
        Assert.All(shards, shard => Assert.InRange(shard.Length, 450, 550));
        Assert.All(LargestClassShares(shards), share => Assert.InRange(share, 0.1, 0.13));
    }

    [Fact]
    public void DirichletRedrawsUntilEveryClientHasTheMinimum()
    {
        const int clients = 20, minimum = 40;
        var unconstrained = Split(new DirichletPartitioner(alpha: 0.1, minSamplesPerClient: 0), clients);
        Assert.Contains(unconstrained, shard => shard.Length < minimum); // so the minimum has work to do

        var shards = Split(new DirichletPartitioner(alpha: 0.1, minSamplesPerClient: minimum), clients);

        Assert.All(shards, shard => Assert.True(shard.Length >= minimum, $"a client has {shard.Length} samples"));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void DirichletAlphaMustBePositive(double alpha)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new DirichletPartitioner(alpha, minSamplesPerClient: 1));

        Assert.Equal("alpha", error.ParamName);
    }

    [Fact]
    public void DirichletMinimumLargerThanTheDataIsAUserError()
    {
        var partitioner = new DirichletPartitioner(alpha: 1, minSamplesPerClient: 101);

        var error = Assert.Throws<ArgumentException>(() => Split(partitioner, clients: 50));

        Assert.Equal("clients", error.ParamName);
    }

    [Fact]
    public void DirichletMinimumThatNoDrawMeetsIsAUserError()
    {
        // With alpha 0.01 nearly every class goes to a single client, so most of 50 clients get nothing.
        var partitioner = new DirichletPartitioner(alpha: 0.01, minSamplesPerClient: 50);

        var error = Assert.Throws<UserInputException>(() => Split(partitioner, clients: 50));

        Assert.Contains("at least 50 samples per client", error.Message);
        Assert.Contains("alpha 0.01 and 50 clients", error.Message);
        Assert.Contains("larger alpha or fewer clients", error.Message);
    }
}
