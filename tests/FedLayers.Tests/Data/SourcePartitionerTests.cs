using FedLayers.Data;

namespace FedLayers.Tests.Data;

public class SourcePartitionerTests
{
    // Class 0 from three sources (a, b, c), class 1 from two (x, y), sizes that do not divide evenly.
    private static readonly (long[] Labels, string?[] Domains) Data = Make(("a", 0, 31), ("b", 0, 17), ("c", 0, 9), ("x", 1, 13), ("y", 1, 22));

    private static (long[], string?[]) Make(params (string Domain, long Label, int Count)[] groups) =>
        (groups.SelectMany(g => Enumerable.Repeat(g.Label, g.Count)).ToArray(), groups.SelectMany(g => Enumerable.Repeat<string?>(g.Domain, g.Count)).ToArray());

    private static int[][] Split(int clients, int seed = 3, (long[] Labels, string?[] Domains)? data = null)
    {
        var (labels, domains) = data ?? Data;
        return new SourcePartitioner().Split(labels, domains, 2, clients, SeededRandom.For(seed, "partition"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(13)]
    public void EveryClientHasOneSourcePerClassAndEverySampleIsUsedOnce(int clients)
    {
        var shards = Split(clients);

        Assert.Equal(clients, shards.Length);
        Assert.Equal(Enumerable.Range(0, Data.Labels.Length), shards.SelectMany(s => s).Order());
        foreach (var shard in shards)
            for (long c = 0; c < 2; c++)
                Assert.Single(shard.Where(i => Data.Labels[i] == c).Select(i => Data.Domains[i]).Distinct());
    }

    [Fact]
    public void SamplesOfASourceAreDealtEvenlyAmongItsClients()
    {
        var shards = Split(12); // 6 combinations, each used by two clients; source a serves four clients
        var fromA = shards.Select(s => s.Count(i => Data.Domains[i] == "a")).Where(n => n > 0).ToArray();
        Assert.Equal(4, fromA.Length);
        Assert.True(fromA.Max() - fromA.Min() <= 1);
    }

    [Fact]
    public void SameSeedGivesTheSamePartitionAndAnotherSeedAnother()
    {
        Assert.Equal(Split(6, seed: 1), Split(6, seed: 1));
        Assert.NotEqual(Split(6, seed: 1), Split(6, seed: 2));
    }

    [Fact]
    public void FirstClientsCoverEverySource()
    {
        var assignment = SourcePartitioner.AssignCombinations([3, 2], 3);
        Assert.Equal([0, 1, 2], assignment.Select(a => a[0]).Order());
        Assert.Equal([0, 1], assignment.Select(a => a[1]).Distinct().Order());
    }

    [Fact]
    public void DatasetWithoutDomainsIsAUserErrorNamingPartition()
    {
        var labels = Data.Labels;
        var error = Assert.Throws<UserInputException>(() => new SourcePartitioner().Split(labels, 2, 4, new Random(1)));
        Assert.Contains("partition source", error.Message);
        var noDomains = Assert.Throws<UserInputException>(() => Split(4, data: (labels, new string?[labels.Length])));
        Assert.Contains("partition source", noDomains.Message);
    }

    [Fact]
    public void FewerClientsThanSourcesOfAClassIsAUserError()
    {
        var error = Assert.Throws<ArgumentException>(() => Split(2));
        Assert.Equal("clients", error.ParamName);
        Assert.Contains("a, b, c", error.Message);
    }

    [Fact]
    public void CatalogKnowsSource() => Assert.IsType<SourcePartitioner>(
        FedLayers.Setup.Registries.BuiltIn().Partitioners.Find("source").Entry.Create(FedLayers.Setup.RunConfig.Defaults()));
}
