using static TorchSharp.torch;

namespace FedLayers.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape, type and bytes: "unchanged" in the strictest sense.</summary>
    public static bool BitwiseEqual(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.ToArray().SequenceEqual(b.contiguous().bytes.ToArray());

    /// <summary>Two safetensors files (checkpoints) hold the same tensors, bitwise; their metadata may differ.</summary>
    public static void SameTensorsInFiles(string expectedFile, string actualFile)
    {
        var expected = FedLayers.Weights.SafetensorsReader.Read(expectedFile);
        var actual = FedLayers.Weights.SafetensorsReader.Read(actualFile);
        Assert.Equal(expected.Tensors.Keys, actual.Tensors.Keys);
        foreach (var (name, tensor) in expected.Tensors)
            Assert.True(BitwiseEqual(tensor, actual.Tensors[name]), $"tensor {name} differs between {expectedFile} and {actualFile}");
    }
}
