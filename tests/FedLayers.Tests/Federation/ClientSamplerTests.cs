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
}
