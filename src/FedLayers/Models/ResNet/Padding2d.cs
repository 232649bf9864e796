namespace FedLayers.Models.ResNet;

/// <summary>Zero padding of an image's four sides, in pixels.</summary>
/// <param name="Top">Rows added above.</param>
/// <param name="Left">Columns added on the left.</param>
/// <param name="Bottom">Rows added below.</param>
/// <param name="Right">Columns added on the right.</param>
public readonly record struct Padding2d(int Top, int Left, int Bottom, int Right)
{
    /// <summary><paramref name="pixels"/> on every side.</summary>
    public static Padding2d Same(int pixels) => new(pixels, pixels, pixels, pixels);

    /// <summary>Whether top equals bottom and left equals right, so a convolution's own padding can do it.</summary>
    public bool IsSymmetric => Top == Bottom && Left == Right;

    /// <summary>In TorchSharp's F.pad order for the last two dimensions: left, right, top, bottom.</summary>
    public long[] ForPad() => [Left, Right, Top, Bottom];
}
