using static TorchSharp.torch;

namespace FedLayers.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape, type and bytes: "unchanged" in the strictest sense.</summary>
    public static bool BitwiseEqual(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.ToArray().SequenceEqual(b.contiguous().bytes.ToArray());
}
