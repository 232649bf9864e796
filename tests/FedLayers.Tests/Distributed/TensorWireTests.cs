using FedLayers.Distributed;
using FedLayers.Distributed.Protocol;
using static TorchSharp.torch;

namespace FedLayers.Tests.Distributed;

public class TensorWireTests
{
    private static Dictionary<string, TensorSpec> Specs(params (string Name, Tensor Tensor)[] tensors) =>
        tensors.ToDictionary(t => t.Name, t => TensorWire.Spec(t.Name, t.Tensor));

    [Fact]
    public void TensorsLargerThanAChunkTravelInOrderedChunksAndArriveBitwise()
    {
        using var big = randn(600, 1000); // 2.4 MB of float32: three chunks
        using var counts = arange(7L);
        using var empty = zeros(0, 3);
        var assembler = new TensorAssembler(Specs(("big", big), ("counts", counts), ("empty", empty)), 3);
        var chunks = TensorWire.Chunks(9, "big", big).Concat(TensorWire.Chunks(9, "counts", counts)).Concat(TensorWire.Chunks(9, "empty", empty)).ToList();
        Assert.Equal(5, chunks.Count);
        Assert.All(chunks, c => Assert.True(c.Data.Length <= TensorWire.ChunkBytes));
        foreach (var chunk in chunks)
        {
            Assert.False(assembler.Complete);
            assembler.Add(chunk);
        }
        Assert.True(assembler.Complete);
        var received = assembler.Tensors();
        Assert.True(TensorAssert.BitwiseEqual(big, received["big"]));
        Assert.True(TensorAssert.BitwiseEqual(counts, received["counts"]));
        Assert.Equal([0L, 3], received["empty"].shape);
    }

    [Fact]
    public void AnythingButTheAnnouncedTensorsIsAProtocolViolation()
    {
        using var weight = ones(4, 4);
        using var other = ones(4, 5);
        using var wrongType = ones(4, 4, dtype: float64);
        var specs = Specs(("weight", weight));
        string Violation(IEnumerable<TensorChunk> chunks, int count = 1)
        {
            var assembler = new TensorAssembler(specs, count);
            return Assert.Throws<ProtocolException>(() => { foreach (var c in chunks) assembler.Add(c); }).Message;
        }
        Assert.Contains("tensor 'bias' was not asked for", Violation(TensorWire.Chunks(1, "bias", weight)));
        Assert.Contains("tensor 'weight' is F32 [4, 5], expected F32 [4, 4]", Violation(TensorWire.Chunks(1, "weight", other)));
        Assert.Contains("is F64 [4, 4], expected F32 [4, 4]", Violation(TensorWire.Chunks(1, "weight", wrongType)));
        Assert.Contains("a chunk at byte 0, expected byte 64", Violation(TensorWire.Chunks(1, "weight", weight).Concat(TensorWire.Chunks(1, "weight", weight)), 2));
        Assert.Contains("one more than the 0 announced", Violation(TensorWire.Chunks(1, "weight", weight), 0));
        var tooLong = TensorWire.Chunks(1, "weight", weight).Single();
        tooLong.Data = Google.Protobuf.ByteString.CopyFrom(new byte[80]);
        Assert.Contains("80 bytes, expected 64", Violation([tooLong]));
    }

    [Fact]
    public void AModelMismatchNamesTheTensor()
    {
        using var a = ones(2, 3);
        using var b = ones(3, 3);
        var server = new[] { TensorWire.Spec("w", a), TensorWire.Spec("b", a) };
        Assert.Null(ModelSignature.Mismatch(server, [.. server]));
        Assert.Equal("tensor 'w' is F32 [3, 3] at the client, F32 [2, 3] at the server",
            ModelSignature.Mismatch(server, [TensorWire.Spec("w", b), server[1]]));
        Assert.Equal("the client's model has no tensor 'b'", ModelSignature.Mismatch(server, [server[0]]));
        Assert.Equal("the client's model has tensor 'c', which the server's has not",
            ModelSignature.Mismatch(server, [.. server, TensorWire.Spec("c", a)]));
    }
}
