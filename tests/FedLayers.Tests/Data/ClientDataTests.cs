using FedLayers.Data;
using static TorchSharp.torch;

namespace FedLayers.Tests.Data;

/// <summary>Data that comes split by client: every client gets exactly its own samples, and bad samples are named.</summary>
public class ClientDataTests
{
    private static readonly string[] Classes = ["a", "b", "c"];

    private static (Tensor Inputs, Tensor Labels) Client(int count, int seed, long[] shape) =>
        (randn([count, .. shape], generator: new Generator().manual_seed(seed)), tensor(Enumerable.Range(0, count).Select(i => (long)(i % 3)).ToArray()));

    [Fact]
    public void TheDomainPartitionGivesEveryClientItsOwnSamplesInOrder()
    {
        var clients = new[] { Client(12, 1, [2]), Client(15, 2, [2]), Client(11, 3, [2]) };
        using var data = ClientData.FromTensors(clients, Client(6, 4, [2]), Classes);
        Assert.Equal(38, data.Train.Count);
        Assert.Equal(6, data.Test.Count);
        var shards = new DomainPartitioner(minSamplesPerClient: 10).Split(data.Train.Labels, data.TrainDomains!, 3, clients: 3, new Random(7));
        int start = 0;
        for (int c = 0; c < clients.Length; c++)
        {
            int count = (int)clients[c].Inputs.shape[0];
            Assert.Equal(Enumerable.Range(start, count), shards[c]);
            Assert.True(TensorAssert.BitwiseEqual(clients[c].Inputs, data.Train.InputsAt(shards[c], CPU)));
            start += count;
        }
    }

    [Fact]
    public void SamplesFromAnEnumerableAreTheSameAsFromTensors()
    {
        var clients = new[] { Client(4, 1, [2, 2]), Client(5, 2, [2, 2]) };
        IEnumerable<(Tensor, long)> Samples((Tensor Inputs, Tensor Labels) client) =>
            Enumerable.Range(0, (int)client.Inputs.shape[0]).Select(i => (client.Inputs[i], client.Labels[i].item<long>()));
        using var fromTensors = ClientData.FromTensors(clients, clients[0], Classes);
        using var fromSamples = ClientData.FromSamples([.. clients.Select(Samples)], Samples(clients[0]), Classes);
        Assert.True(TensorAssert.BitwiseEqual(fromTensors.Train.Inputs, fromSamples.Train.Inputs));
        Assert.Equal(fromTensors.Train.Labels, fromSamples.Train.Labels);
        Assert.Equal(fromTensors.TrainDomains, fromSamples.TrainDomains);
    }

    [Fact]
    public void ALabelOutsideTheClassesIsNamedBySampleIndex()
    {
        var bad = Client(6, 2, [2]);
        bad.Labels[4] = tensor(7L);
        var error = Assert.Throws<ArgumentException>(() => ClientData.FromTensors([Client(6, 1, [2]), bad], Client(3, 3, [2]), Classes));
        Assert.Contains("client 1, sample 4: label 7 is not a class; expected 0 to 2", error.Message);
    }

    [Fact]
    public void ASampleOfAnotherShapeIsNamedBySampleIndex()
    {
        var samples = Enumerable.Range(0, 5).Select(i => (Input: i == 3 ? zeros(3) : zeros(2), Label: 0L));
        var error = Assert.Throws<ArgumentException>(() => ClientData.FromSamples([samples], [(zeros(2), 1L)], Classes));
        Assert.Contains("client 0, sample 3: a Float32 sample of shape [3], expected Float32 of shape [2]", error.Message);
    }

    [Fact]
    public void AClientWithAnotherShapeOrNoLabelsPerInputIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => ClientData.FromTensors([Client(4, 1, [2]), Client(4, 2, [3])], Client(2, 3, [2]), Classes));
        Assert.Contains("client 1: Float32 samples of shape [3], expected Float32 of shape [2]", error.Message);
        error = Assert.Throws<ArgumentException>(() => ClientData.FromTensors([(zeros(4, 2), tensor(new long[] { 0, 1, 2 }))], Client(2, 3, [2]), Classes));
        Assert.Contains("client 0: 4 inputs but 3 labels", error.Message);
    }
}
