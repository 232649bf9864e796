using FedLayers.Aggregation;
using static TorchSharp.torch;

namespace FedLayers.Tests.Aggregation;

/// <summary>A client's whole update is scaled to the clip norm, jointly over its layers; integer tensors are not touched.</summary>
public class UpdateClippingTests
{
    [Fact]
    public void AnUpdateAboveTheNormIsScaledJointlyOverItsTensors()
    {
        using var first = tensor(new float[] { 3, 0 });
        using var second = tensor(new float[] { 0, 4 });
        using var batches = tensor(7L);
        Assert.Equal(5, UpdateClipping.Norm([first, second, batches]), 6);
        Assert.Equal(0.2, UpdateClipping.ClipInPlace([first, second, batches], 1), 6);
        Assert.Equal([0.6f, 0f], first.data<float>().ToArray());
        Assert.Equal([0f, 0.8f], second.data<float>().ToArray());
        Assert.Equal(7L, batches.item<long>());
    }

    [Fact]
    public void AnUpdateWithinTheNormIsLeftAsItIs()
    {
        using var update = tensor(new float[] { 3, 4 });
        Assert.Equal(1, UpdateClipping.ClipInPlace([update], 5));
        Assert.Equal([3f, 4f], update.data<float>().ToArray());
    }
}
