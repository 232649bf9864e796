using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.ResNet;

/// <summary>
/// A bias-free convolution with explicit, possibly asymmetric padding: the packaged ResNet18 was
/// exported with more padding before than after (e.g. [1,1,0,0] on stride-2 convolutions), and
/// symmetric padding would shift every feature map by a pixel. Its only parameter is named
/// <c>weight</c>, as in torchvision's Conv2d.
/// </summary>
public sealed class PaddedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly int stride;
    private readonly Padding2d padding;

    /// <summary>A convolution with a square <paramref name="kernel"/>, initialised as torch initialises Conv2d.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="inChannels">The input's channels.</param>
    /// <param name="outChannels">The output's channels.</param>
    /// <param name="kernel">The kernel's side.</param>
    /// <param name="stride">The stride in both directions.</param>
    /// <param name="padding">The zero padding of each side.</param>
    public PaddedConv2d(string name, int inChannels, int outChannels, int kernel, int stride, Padding2d padding) : base(name)
    {
        this.stride = stride;
        this.padding = padding;
        // the same initialisation torch uses for Conv2d (kaiming uniform, a = sqrt(5))
        using var template = nn.Conv2d(inChannels, outChannels, kernel, bias: false);
        weight = nn.Parameter(template.weight!.detach().clone());
        RegisterComponents();
    }

    /// <summary>Pads <paramref name="input"/> [B, in, H, W], then convolves: [B, out, H', W'].</summary>
    public override Tensor forward(Tensor input)
    {
        if (padding.IsSymmetric)
            return nn.functional.conv2d(input, weight, strides: [stride, stride], padding: [padding.Top, padding.Left]);
        using var padded = nn.functional.pad(input, padding.ForPad());
        return nn.functional.conv2d(padded, weight, strides: [stride, stride]);
    }

    /// <summary>Forward FLOPs per sample for an output of <paramref name="outHeight"/> x <paramref name="outWidth"/>.</summary>
    public long Flops(long outHeight, long outWidth) =>
        FlopCount.Conv2d(weight.shape[1], weight.shape[0], weight.shape[2], outHeight, outWidth);
}
