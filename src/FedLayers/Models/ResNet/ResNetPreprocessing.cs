using FedLayers.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models.ResNet;

/// <summary>
/// The packaged ResNet18's own preprocessing (its ResNetPreprocess.onnx): RGB pixels in 0..255,
/// reordered to BGR, minus a mean image. Before that, the dataset's standardisation is undone,
/// grayscale is repeated to three channels and the image is resized to the model's input size.
/// </summary>
public sealed class ResNetPreprocessing : nn.Module<Tensor, Tensor>
{
    private readonly PixelNormalization source;
    private readonly int imageSize;

    /// <param name="source">How the dataset standardised its images, undone first.</param>
    /// <param name="imageSize">The side of the network's input.</param>
    /// <param name="meanImage">[1, 3, H, W] in BGR order; resized here when H or W differ from <paramref name="imageSize"/>
    /// (area averaging when shrinking, bilinear when growing).</param>
    /// <remarks>The module keeps its own copy of <paramref name="meanImage"/>; the caller still owns the tensor passed in.</remarks>
    public ResNetPreprocessing(PixelNormalization source, int imageSize, Tensor meanImage) : base("preprocessing")
    {
        this.source = source;
        this.imageSize = imageSize;
        using var _ = no_grad();
        var resized = meanImage.shape[2] == imageSize && meanImage.shape[3] == imageSize
            ? meanImage.clone()
            : meanImage.shape[2] > imageSize
                ? nn.functional.adaptive_avg_pool2d(meanImage, [imageSize, imageSize])
                : nn.functional.interpolate(meanImage, [imageSize, imageSize], mode: InterpolationMode.Bilinear, align_corners: false);
        // not persistent: a constant of the architecture, so it is neither trained, sent nor saved
        register_buffer("mean_image", resized, persistent: false);
    }

    /// <summary>The side of the network's input, in pixels.</summary>
    public int ImageSize => imageSize;

    /// <summary>Dataset images [B, C, H, W] (C = 1 or 3, standardised by <see cref="PixelNormalization"/>)
    /// to the network's input [B, 3, size, size].</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        long channels = images.shape[1];
        using var mean = tensor(source.Mean).view(1, -1, 1, 1).to(images.device);
        using var std = tensor(source.Std).view(1, -1, 1, 1).to(images.device);
        var rgb = (images * std + mean) * 255f;
        if (channels == 1) rgb = rgb.expand(-1, 3, -1, -1);
        if (rgb.shape[2] != imageSize || rgb.shape[3] != imageSize)
            rgb = nn.functional.interpolate(rgb, [imageSize, imageSize], mode: InterpolationMode.Bilinear, align_corners: false);
        return (rgb.flip(1) - MeanImage).MoveToOuterDisposeScope();
    }

    /// <summary>Only the last step, for inputs already in RGB 0..255 at the model's size (parity checks).</summary>
    public Tensor FromRgb255(Tensor rgb) => rgb.flip(1) - MeanImage;

    /// <summary>The registered buffer (moved with the module).</summary>
    private Tensor MeanImage => get_buffer("mean_image")!;
}
