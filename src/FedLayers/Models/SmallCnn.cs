using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// A small residual CNN for single-channel square images (Fashion-MNIST):
/// stem (Fixed) -> <see cref="BlockCount"/> residual blocks (Selectable) -> pool + linear head (Common).
/// The head pools to 2x2 rather than 1x1: keeping coarse position makes it learn much faster.
/// Half the blocks run at the stem's resolution, the rest at half of it with twice the channels.
/// </summary>
public sealed class SmallCnn : LayeredModel
{
    /// <summary>The number of residual blocks, the selectable layers.</summary>
    public const int BlockCount = 6;
    private const int Width = 16;

    private readonly Conv2d stem;
    private readonly ModuleList<ResidualConvBlock> blocks = new();
    private readonly Linear head;
    private readonly int imageSize;
    private readonly int inChannels;

    /// <summary>A network with TorchSharp's default initialisation (seeded by <c>torch.manual_seed</c>).</summary>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="inChannels">The input images' channels.</param>
    /// <param name="imageSize">The input images' side in pixels, for the FLOP counts.</param>
    public SmallCnn(int numClasses, int inChannels = 1, int imageSize = 28) : base("small-cnn")
    {
        NumClasses = numClasses;
        this.imageSize = imageSize;
        this.inChannels = inChannels;
        stem = nn.Conv2d(inChannels, Width, 3, stride: 2, padding: 1);
        for (int b = 0; b < BlockCount; b++)
        {
            var (cin, cout, stride) = BlockShape(b);
            blocks.Add(new ResidualConvBlock($"block{b}", cin, cout, stride));
        }
        head = nn.Linear(2 * Width * 4, numClasses);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override int NumClasses { get; }

    private static (int In, int Out, int Stride) BlockShape(int block) => block switch
    {
        _ when block < BlockCount / 2 => (Width, Width, 1),
        _ when block == BlockCount / 2 => (Width, 2 * Width, 2),
        _ => (2 * Width, 2 * Width, 1),
    };

    /// <summary>Group 0 reads images [B, channels, H, W]; the head gives logits [B, classes].</summary>
    protected override GroupActivation RunGroup(int group, GroupActivation input) => new(group switch
    {
        0 => nn.functional.relu(stem.forward(input.Hidden)),
        <= BlockCount => blocks[group - 1].forward(input.Hidden),
        _ => head.forward(nn.functional.adaptive_avg_pool2d(input.Hidden, [2, 2]).flatten(1)),
    });

    /// <summary><c>stem</c> (Fixed), <c>blocks.0</c> .. <c>blocks.5</c> (Selectable), <c>head</c> (Common).</summary>
    protected override IReadOnlyList<LayerGroup> DescribeGroups()
    {
        int size = (imageSize + 1) / 2;
        var plan = new LayerGroupPlan().Add("stem", LayerRole.Fixed, FlopCount.Conv2d(inChannels, Width, 3, size, size), "stem");
        for (int b = 0; b < BlockCount; b++)
        {
            var (cin, cout, stride) = BlockShape(b);
            plan.Add($"blocks.{b}", LayerRole.Selectable, ResidualConvBlock.Flops(cin, cout, stride, size), $"blocks.{b}");
            size = (size + stride - 1) / stride;
        }
        return plan.Add("head", LayerRole.Common, FlopCount.Linear(2 * Width * 4, NumClasses), "head").Build(this);
    }
}
