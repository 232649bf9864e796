namespace FedLayers.Models.ResNet;

/// <summary>Zero padding of an image's four sides, in pixels.</summary>
public readonly record struct Padding2d(int Top, int Left, int Bottom, int Right)
{
    public static Padding2d Same(int pixels) => new(pixels, pixels, pixels, pixels);

    public bool IsSymmetric => Top == Bottom && Left == Right;

    /// <summary>In TorchSharp's F.pad order for the last two dimensions: left, right, top, bottom.</summary>
    public long[] ForPad() => [Left, Right, Top, Bottom];
}
