namespace FedLayers.Models;

/// <summary>Forward FLOPs per sample of the operations that dominate a layer's cost
/// (a multiply-add counts as two FLOPs). Element-wise operations are left out.</summary>
public static class FlopCount
{
    /// <summary>A dense layer applied at <paramref name="positions"/> positions (e.g. tokens): 2 x in x out x positions.</summary>
    public static long Linear(long inFeatures, long outFeatures, long positions = 1) =>
        2 * inFeatures * outFeatures * positions;

    /// <summary>A square-kernel convolution producing an <paramref name="outHeight"/> x <paramref name="outWidth"/> map: 2 x in x k^2 x out x H x W.</summary>
    public static long Conv2d(long inChannels, long outChannels, long kernel, long outHeight, long outWidth) =>
        2 * inChannels * kernel * kernel * outChannels * outHeight * outWidth;

    /// <summary>The two matrix products of self-attention, QK^T and AV, over all heads.</summary>
    public static long SelfAttention(long tokens, long width) => 2 * 2 * tokens * tokens * width;
}
