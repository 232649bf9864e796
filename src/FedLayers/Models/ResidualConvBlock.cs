using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// conv3x3 - ReLU - conv3x3, plus the input (through a strided 1x1 projection when the
/// shape changes), then ReLU. No normalisation, so a frozen block has no state that moves.
/// </summary>
public sealed class ResidualConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d? shortcut;

    /// <summary>A block with TorchSharp's default initialisation; <paramref name="stride"/> 2 halves the resolution.</summary>
    public ResidualConvBlock(string name, int inChannels, int outChannels, int stride) : base(name)
    {
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1);
        if (stride != 1 || inChannels != outChannels)
            shortcut = nn.Conv2d(inChannels, outChannels, 1, stride: stride);
        RegisterComponents();
    }

    /// <summary>[B, in, H, W] in, [B, out, H / stride, W / stride] out (rounded up).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var hidden = nn.functional.relu(conv1.forward(input));
        var residual = shortcut is null ? input : shortcut.forward(input);
        return nn.functional.relu(conv2.forward(hidden) + residual).MoveToOuterDisposeScope();
    }

    /// <summary>Forward FLOPs per sample for an input of <paramref name="inSize"/> x <paramref name="inSize"/>.</summary>
    public static long Flops(int inChannels, int outChannels, int stride, int inSize)
    {
        int outSize = (inSize + stride - 1) / stride;
        long flops = FlopCount.Conv2d(inChannels, outChannels, 3, outSize, outSize)
                   + FlopCount.Conv2d(outChannels, outChannels, 3, outSize, outSize);
        if (stride != 1 || inChannels != outChannels)
            flops += FlopCount.Conv2d(inChannels, outChannels, 1, outSize, outSize);
        return flops;
    }
}
