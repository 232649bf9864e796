using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// A small transformer encoder classifier for square images, read as a sequence of
/// non-overlapping patches: patch + position embeddings (Fixed) -> <see cref="LayerCount"/>
/// encoder blocks (Selectable) -> final norm, mean pooling and a linear head (Common).
/// </summary>
public sealed class SmallTransformer : LayeredModel
{
    /// <summary>The number of encoder blocks, the selectable layers.</summary>
    public const int LayerCount = 6;
    private const int Width = 64;
    private const int Heads = 4;
    private const int MlpWidth = 128;

    private readonly Linear patch_embedding;
    private readonly Parameter position_embedding;
    private readonly ModuleList<TransformerBlock> layers = new();
    private readonly LayerNorm final_norm;
    private readonly Linear head;
    private readonly int patchSize;
    private readonly int inChannels;
    private readonly int tokens;

    /// <summary>A network with TorchSharp's default initialisation (seeded by <c>torch.manual_seed</c>).</summary>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="inChannels">The input images' channels.</param>
    /// <param name="imageSize">The input images' side in pixels.</param>
    /// <param name="patchSize">The patches' side in pixels; must divide <paramref name="imageSize"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="patchSize"/> does not divide <paramref name="imageSize"/>.</exception>
    public SmallTransformer(int numClasses, int inChannels = 1, int imageSize = 28, int patchSize = 7) : base("small-transformer")
    {
        if (imageSize % patchSize != 0)
            throw new ArgumentException($"image size {imageSize} is not a multiple of the patch size {patchSize}");
        NumClasses = numClasses;
        this.patchSize = patchSize;
        this.inChannels = inChannels;
        tokens = (imageSize / patchSize) * (imageSize / patchSize);
        patch_embedding = nn.Linear(inChannels * patchSize * patchSize, Width);
        position_embedding = nn.Parameter(randn(1, tokens, Width) * 0.02);
        for (int l = 0; l < LayerCount; l++) layers.Add(new TransformerBlock($"layer{l}", Width, Heads, MlpWidth));
        final_norm = nn.LayerNorm(Width);
        head = nn.Linear(Width, numClasses);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override int NumClasses { get; }

    /// <summary>Group 0 reads images [B, channels, size, size] and gives tokens [B, patches, 64]; the head gives logits [B, classes].</summary>
    protected override GroupActivation RunGroup(int group, GroupActivation input) => new(group switch
    {
        0 => patch_embedding.forward(Patches(input.Hidden)) + position_embedding,
        <= LayerCount => layers[group - 1].forward(input.Hidden),
        _ => head.forward(final_norm.forward(input.Hidden).mean([1])),
    });

    /// <summary>[B, C, H, W] -> [B, tokens, C * p * p], patches in row-major order.</summary>
    private Tensor Patches(Tensor images) =>
        images.unfold(2, patchSize, patchSize).unfold(3, patchSize, patchSize)
            .permute(0, 2, 3, 1, 4, 5).reshape(images.shape[0], tokens, inChannels * patchSize * patchSize);

    /// <summary><c>embeddings</c> (Fixed), <c>layers.0</c> .. <c>layers.5</c> (Selectable), <c>head</c> with the final norm (Common).</summary>
    protected override IReadOnlyList<LayerGroup> DescribeGroups()
    {
        var plan = new LayerGroupPlan().Add("embeddings", LayerRole.Fixed,
            FlopCount.Linear(inChannels * patchSize * patchSize, Width, tokens), "patch_embedding", "position_embedding");
        for (int l = 0; l < LayerCount; l++)
            plan.Add($"layers.{l}", LayerRole.Selectable, TransformerBlock.Flops(tokens, Width, MlpWidth), $"layers.{l}");
        return plan.Add("head", LayerRole.Common, FlopCount.Linear(Width, NumClasses), "final_norm", "head").Build(this);
    }
}
