using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.ResNet;

/// <summary>
/// A ResNet of <see cref="BasicBlock"/>s with torchvision's parameter names (conv1, bn1,
/// layer{s}.{b}...., fc) and a new linear head. Groups: the stem (conv1, bn1) Fixed, every
/// basic block Selectable, the head Common. The final pooling is adaptive, so any input size works.
/// </summary>
public sealed class ResNetClassifier : LayeredModel
{
    private static readonly int[] StageWidths = [64, 128, 256, 512];

    private readonly PaddedConv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Sequential layer1, layer2, layer3, layer4;
    private readonly Linear fc;
    private readonly ResNetPreprocessing preprocessing;
    private readonly ResNetLayout layout;
    private IReadOnlyList<BasicBlock>? _blocks;

    /// <summary>A network of <paramref name="layout"/>'s shape with TorchSharp's default initialisation; load weights by torchvision name.</summary>
    /// <param name="numClasses">The number of classes of the head <c>fc</c>.</param>
    /// <param name="layout">The blocks per stage and the paddings.</param>
    /// <param name="preprocessing">Turns dataset images into the network's input; run by group 0.</param>
    public ResNetClassifier(int numClasses, ResNetLayout layout, ResNetPreprocessing preprocessing) : base("resnet")
    {
        NumClasses = numClasses;
        this.layout = layout;
        this.preprocessing = preprocessing;
        conv1 = new PaddedConv2d("conv1", 3, 64, 7, 2, layout.StemPadding);
        bn1 = nn.BatchNorm2d(64);
        var stages = new Sequential[4];
        int inChannels = 64;
        for (int s = 0; s < 4; s++)
        {
            var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
            for (int b = 0; b < layout.BlocksPerStage[s]; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                blocks.Add(($"{b}", new BasicBlock($"{b}", inChannels, StageWidths[s], stride, layout.StridedPadding)));
                inChannels = StageWidths[s];
            }
            stages[s] = nn.Sequential(blocks);
        }
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        fc = nn.Linear(512, numClasses);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override int NumClasses { get; }

    /// <summary>Group 0 preprocesses dataset images and runs the stem; one group per basic block; the head pools and classifies.</summary>
    protected override GroupActivation RunGroup(int group, GroupActivation input) => new(group switch
    {
        0 => Stem(preprocessing.forward(input.Hidden)),
        _ when group < Groups.Count - 1 => Blocks[group - 1].forward(input.Hidden),
        _ => fc.forward(Pool(input.Hidden)),
    });

    /// <summary>The pooled 512-wide features of already preprocessed input.</summary>
    public Tensor Features(Tensor preprocessed)
    {
        using var scope = NewDisposeScope();
        var blocks = Run(new GroupActivation(Stem(preprocessed)), 1, Groups.Count - 1);
        return Pool(blocks.Hidden).MoveToOuterDisposeScope();
    }

    private Tensor Stem(Tensor preprocessed)
    {
        var x = nn.functional.relu(bn1.forward(conv1.forward(preprocessed)));
        return nn.functional.max_pool2d(nn.functional.pad(x, layout.MaxPoolPadding.ForPad(), value: double.NegativeInfinity), 3, 2);
    }

    private static Tensor Pool(Tensor blocksOutput) => nn.functional.adaptive_avg_pool2d(blocksOutput, 1).flatten(1);

    /// <summary>The basic blocks of all stages, input to output.</summary>
    private IReadOnlyList<BasicBlock> Blocks => _blocks ??= new[] { layer1, layer2, layer3, layer4 }.SelectMany(s => s.children().Cast<BasicBlock>()).ToList();

    /// <summary>The preprocessing group 0 runs.</summary>
    public ResNetPreprocessing Preprocessing => preprocessing;

    /// <summary><c>stem</c> (Fixed), <c>layer{s}.{b}</c> per basic block (Selectable), <c>head</c> (Common); FLOPs at <see cref="ResNetPreprocessing.ImageSize"/>.</summary>
    protected override IReadOnlyList<LayerGroup> DescribeGroups()
    {
        int size = preprocessing.ImageSize;
        int afterStem = (size + 1) / 2;
        var plan = new LayerGroupPlan().Add("stem", LayerRole.Fixed, conv1.Flops(afterStem, afterStem), "conv1", "bn1");
        size = (afterStem + 1) / 2; // max pool
        var stages = new[] { layer1, layer2, layer3, layer4 };
        for (int s = 0; s < 4; s++)
            for (int b = 0; b < layout.BlocksPerStage[s]; b++)
            {
                var (flops, outSize) = ((BasicBlock)stages[s][b]).Flops(size);
                plan.Add($"layer{s + 1}.{b}", LayerRole.Selectable, flops, $"layer{s + 1}.{b}");
                size = outSize;
            }
        return plan.Add("head", LayerRole.Common, FlopCount.Linear(512, NumClasses), "fc").Build(this);
    }
}
