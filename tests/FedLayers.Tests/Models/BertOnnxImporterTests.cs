using FedLayers.Models.Bert;
using FedLayers.Weights;
using FedLayers.Weights.Onnx;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>The packaged MiniLM graph, read once per test class.</summary>
public sealed class MiniLmGraphFixture
{
    public OnnxGraph Graph { get; } = MiniLmPackage.ReadOnnxGraph();
}

public class BertOnnxImporterTests(MiniLmGraphFixture fixture) : IClassFixture<MiniLmGraphFixture>
{
    private OnnxGraph Graph => fixture.Graph;

    /// <summary>The unnamed initializer of the MatMul whose output is added to <paramref name="bias"/>.</summary>
    private OnnxTensor MatMulWeightFor(string bias)
    {
        var add = Graph.Nodes.Single(n => n.OpType == "Add" && n.Inputs.Contains(bias));
        var matMul = Graph.Nodes.Single(n => n.OpType == "MatMul" && add.Inputs.Contains(n.Outputs[0]));
        return Graph.Initializer(matMul.Inputs[1]);
    }

    private static float[] Floats(OnnxTensor t) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.Data).ToArray();

    private OnnxGraph With(Func<IReadOnlyDictionary<string, OnnxTensor>, IReadOnlyDictionary<string, OnnxTensor>> initializers,
        Func<IReadOnlyList<OnnxNode>, IReadOnlyList<OnnxNode>>? nodes = null) =>
        new("altered.onnx", nodes?.Invoke(Graph.Nodes) ?? Graph.Nodes, initializers(Graph.Initializers), Graph.Inputs, Graph.Outputs);

    [Fact]
    public void ImportsEveryWeightByItsHuggingFaceNameAndSkipsThePositionIds()
    {
        var tensors = BertOnnxImporter.Import(Graph);
        Assert.Equal(5 + 6 * 16 + 2, tensors.Count);
        Assert.DoesNotContain("embeddings.position_ids", tensors.Keys);
        Assert.All(Enumerable.Range(0, 6), i => Assert.Contains($"encoder.layer.{i}.attention.self.key.weight", tensors.Keys));
        Assert.Equal([30522L, 384], tensors["embeddings.word_embeddings.weight"].shape);
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Theory]
    [InlineData("encoder.layer.3.attention.self.query", 384, 384)]
    [InlineData("encoder.layer.0.intermediate.dense", 384, 1536)]
    [InlineData("encoder.layer.5.output.dense", 1536, 384)]
    public void MatMulWeightsAreNamedByTheirBiasAndTransposed(string linear, int inFeatures, int outFeatures)
    {
        var onnx = MatMulWeightFor(linear + ".bias");
        Assert.Equal([(long)inFeatures, outFeatures], onnx.Dims);
        var tensors = BertOnnxImporter.Import(Graph);
        using var expected = tensor(Floats(onnx), [inFeatures, outFeatures]).t();
        Assert.Equal([(long)outFeatures, inFeatures], tensors[linear + ".weight"].shape);
        Assert.True(TensorAssert.BitwiseEqual(expected.contiguous(), tensors[linear + ".weight"]));
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void AMissingMatMulWeightIsNamedWithTheSource()
    {
        var weight = MatMulWeightFor("encoder.layer.0.intermediate.dense.bias").Name;
        var error = Assert.Throws<UserInputException>(() => BertOnnxImporter.Import(
            With(i => i.Where(kv => kv.Key != weight).ToDictionary())));
        Assert.Contains("altered.onnx", error.Message);
        Assert.Contains("encoder.layer.0.intermediate.dense.weight", error.Message);
    }

    [Fact]
    public void AWrongShapeIsNamedWithTheExpectedShape()
    {
        const string name = "encoder.layer.2.output.LayerNorm.weight";
        var error = Assert.Throws<UserInputException>(() => BertOnnxImporter.Import(With(i =>
        {
            var altered = i.ToDictionary();
            altered[name] = new OnnxTensor(name, [383], OnnxTensor.Float, new byte[383 * 4]);
            return altered;
        })));
        Assert.Contains("altered.onnx", error.Message);
        Assert.Contains($"{name} is [383], expected [384]", error.Message);
    }

    [Fact]
    public void AMatMulWithoutANamedBiasIsReported()
    {
        const string bias = "encoder.layer.1.attention.self.key.bias";
        var weight = MatMulWeightFor(bias).Name;
        // the bias loses its name: the MatMul before it can no longer be placed
        var error = Assert.Throws<UserInputException>(() => BertOnnxImporter.Import(With(
            i => i.Where(kv => kv.Key != bias).Append(new("anonymous", i[bias] with { Name = "anonymous" })).ToDictionary(),
            nodes => nodes.Select(n => n.Inputs.Contains(bias) ? n with { Inputs = n.Inputs.Select(x => x == bias ? "anonymous" : x).ToList() } : n).ToList())));
        Assert.Contains("altered.onnx", error.Message);
        Assert.Contains(weight, error.Message);
    }
}
