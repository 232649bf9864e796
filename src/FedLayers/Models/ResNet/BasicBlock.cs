using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.ResNet;

/// <summary>
/// torchvision's BasicBlock: conv1-bn1-relu-conv2-bn2, plus the input or its projection
/// (downsample.0 conv, downsample.1 batch norm) when the stride or width changes, then relu.
/// </summary>
public sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly PaddedConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly PaddedConv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential? downsample;
    private readonly int stride;

    /// <summary>A block with TorchSharp's default initialisation.</summary>
    /// <param name="name">The module's name, its index in the stage.</param>
    /// <param name="inChannels">The input's channels.</param>
    /// <param name="outChannels">The output's channels.</param>
    /// <param name="stride">1, or 2 to halve the resolution.</param>
    /// <param name="stridedPadding">padding of the 3x3 convolution when it has stride 2.</param>
    public BasicBlock(string name, int inChannels, int outChannels, int stride, Padding2d stridedPadding) : base(name)
    {
        this.stride = stride;
        conv1 = new PaddedConv2d("conv1", inChannels, outChannels, 3, stride, stride == 1 ? Padding2d.Same(1) : stridedPadding);
        bn1 = nn.BatchNorm2d(outChannels);
        conv2 = new PaddedConv2d("conv2", outChannels, outChannels, 3, 1, Padding2d.Same(1));
        bn2 = nn.BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
            downsample = nn.Sequential(
                ("0", new PaddedConv2d("downsample.0", inChannels, outChannels, 1, stride, Padding2d.Same(0))),
                ("1", nn.BatchNorm2d(outChannels)));
        RegisterComponents();
    }

    /// <summary>[B, in, H, W] in, [B, out, H / stride, W / stride] out.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var hidden = nn.functional.relu(bn1.forward(conv1.forward(input)));
        var residual = downsample is null ? input : downsample.forward(input);
        return nn.functional.relu(bn2.forward(conv2.forward(hidden)) + residual).MoveToOuterDisposeScope();
    }

    /// <summary>Forward FLOPs per sample for an input of <paramref name="inSize"/> x <paramref name="inSize"/>; also returns the output size.</summary>
    public (long Flops, int OutSize) Flops(int inSize)
    {
        int outSize = (inSize + stride - 1) / stride;
        long flops = conv1.Flops(outSize, outSize) + conv2.Flops(outSize, outSize);
        if (downsample is not null) flops += ((PaddedConv2d)downsample[0]).Flops(outSize, outSize);
        return (flops, outSize);
    }
}
