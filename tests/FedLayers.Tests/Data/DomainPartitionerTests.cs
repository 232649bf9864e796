using FedLayers.Data;

namespace FedLayers.Tests.Data;

public class DomainPartitionerTests
{
    private static readonly string[] Languages = ["de", "en", "fr"];

    [Fact]
    public void EveryClientHoldsOneDomainAndEverySampleIsDealtOnce()
    {
        var domains = Enumerable.Range(0, 300).Select(i => (string?)Languages[i % 3]).ToList();
        var labels = Enumerable.Range(0, 300).Select(i => (long)(i % 4)).ToList();
        var shards = new DomainPartitioner(10).Split(labels, domains, 4, 7, new Random(1));
        Assert.Equal(Enumerable.Range(0, 300), shards.SelectMany(s => s).Order());
        for (int c = 0; c < 7; c++)
            Assert.Equal([Languages[c % 3]], shards[c].Select(i => domains[i]).Distinct());
        Assert.Equal([34, 33, 33], shards.Where((_, c) => c % 3 == 0).Select(s => s.Length)); // "de": 100 samples over clients 0, 3, 6
    }

    [Fact]
    public void DataWithoutDomainsOrTooFewClientsAreRejected()
    {
        var labels = Enumerable.Range(0, 90).Select(i => (long)(i % 2)).ToList();
        Assert.Contains("partition domain", Assert.Throws<UserInputException>(() => new DomainPartitioner(5).Split(labels, 2, 3, new Random(1))).Message);
        var domains = Enumerable.Range(0, 90).Select(i => (string?)Languages[i % 3]).ToList();
        var tooFew = Assert.Throws<ArgumentException>(() => new DomainPartitioner(5).Split(labels, domains, 2, 2, new Random(1)));
        Assert.Contains("at least one client per domain", tooFew.Message);
        Assert.Equal("clients", tooFew.ParamName);
    }
}
