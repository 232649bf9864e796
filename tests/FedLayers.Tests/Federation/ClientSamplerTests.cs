using FedLayers.Federation;

namespace FedLayers.Tests.Federation;

public class ClientSamplerTests
{
    [Fact]
    public void SamplesKDistinctClientsPerRoundAndVariesAcrossRounds()
    {
        var sampler = new ClientSampler(42, 20, 5);
        var rounds = Enumerable.Range(1, 50).Select(sampler.Sample).ToList();
        Assert.All(rounds, r => { Assert.Equal(5, r.Distinct().Count()); Assert.All(r, c => Assert.InRange(c, 0, 19)); });
        Assert.Equal(20, rounds.SelectMany(r => r).Distinct().Count());
        Assert.Equal(rounds, Enumerable.Range(1, 50).Select(new ClientSampler(42, 20, 5).Sample).ToList());
    }

    [Fact]
    public void OnlyAvailableClientsAreDrawnAndARetryDrawsAnew()
    {
        var sampler = new ClientSampler(42, 20, 5);
        Assert.Equal(sampler.Sample(3), sampler.Sample(3, 0, Enumerable.Range(0, 20).ToHashSet()));
        var available = new HashSet<int> { 1, 4, 7, 9, 12, 15 };
        Assert.All(sampler.Sample(3, 0, available), c => Assert.Contains(c, available));
        Assert.Equal(2, sampler.Sample(3, 0, new HashSet<int> { 2, 5 }).Count);
        var retries = Enumerable.Range(1, 5).Select(a => sampler.Sample(3, a, null)).ToList();
        Assert.Contains(retries, r => !r.SequenceEqual(sampler.Sample(3)));
    }

    [Fact]
    public void PoissonSamplingTakesEachClientWithProbabilityKOverN()
    {
        var sampler = new ClientSampler(42, 100, 10, poisson: true);
        Assert.Equal(0.1, sampler.SamplingRate, 12);
        var rounds = Enumerable.Range(1, 2000).Select(sampler.Sample).ToList();
        // 200,000 Bernoulli(0.1) draws: the mean count is 10 within 5 standard errors (sqrt(0.09 * 100 / 2000) = 0.067)
        Assert.InRange(rounds.Average(r => r.Count), 10 - 0.34, 10 + 0.34);
        Assert.Contains(rounds, r => r.Count != 10);
        Assert.Contains(rounds, r => r.Count == 0 || r.Count > 15); // sizes vary as a binomial's do
        Assert.All(Enumerable.Range(0, 100), client => Assert.InRange(rounds.Count(r => r.Contains(client)), 200 - 67, 200 + 67));
        Assert.Equal(rounds, Enumerable.Range(1, 2000).Select(new ClientSampler(42, 100, 10, poisson: true).Sample).ToList());
    }
}
