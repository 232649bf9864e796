using FedLayers.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// CLIP's image encoder (Hugging Face's CLIPVisionModel, or CLIPVisionModelWithProjection when the
/// checkpoint has a visual projection) with a new linear head on the pooled output, projected when
/// the projection is present. Names mirror the checkpoint: vision_model.*, visual_projection; the
/// head is head.*. Groups (PAPER.md's reference setup): patch, class and position
/// embeddings and pre_layrnorm Fixed; each encoder layer Selectable; post_layernorm, the projection
/// and the head Common.
/// </summary>
public sealed class ClipVisionClassifier : LayeredModel
{
    private const string VisionModel = "vision_model";

    private readonly ClipVisionTransformer visionModel;
    private readonly Linear? visualProjection;
    private readonly Linear head;
    private readonly int? projectionDim;

    /// <summary>A classifier with TorchSharp's default initialisation; load the encoder's weights by name afterwards.</summary>
    /// <param name="config">The image encoder's shape.</param>
    /// <param name="projectionDim">the width of visual_projection (no bias), or null for an encoder without one.</param>
    /// <param name="numClasses">The number of classes of the head.</param>
    /// <param name="datasetPixels">how the dataset standardised its pixels.</param>
    /// <param name="modelPixels">the standardisation the checkpoint was trained with.</param>
    public ClipVisionClassifier(VisionEncoderConfig config, int? projectionDim, int numClasses,
        PixelNormalization datasetPixels, PixelNormalization modelPixels) : base("clip_vision")
    {
        Config = config;
        NumClasses = numClasses;
        this.projectionDim = projectionDim;
        // CLIPImageProcessor resizes bicubically
        Preprocessing = new VisionPreprocessing(datasetPixels, modelPixels, config.ImageSize, InterpolationMode.Bicubic);
        visionModel = new ClipVisionTransformer(config);
        register_module(VisionModel, visionModel);
        if (projectionDim is int width)
        {
            visualProjection = nn.Linear(config.HiddenSize, width, hasBias: false);
            register_module("visual_projection", visualProjection);
        }
        head = nn.Linear(FeatureWidth, numClasses);
        register_module(HuggingFaceCheckpoint.HeadName, head);
        register_module("preprocessing", Preprocessing);
    }

    /// <inheritdoc/>
    public override int NumClasses { get; }

    /// <summary>The image encoder's shape.</summary>
    public VisionEncoderConfig Config { get; }

    /// <summary>Dataset images to the encoder's input (bicubic resize); group 0 runs it.</summary>
    public VisionPreprocessing Preprocessing { get; }

    /// <summary>The width of <see cref="Features"/>: the projection's when there is one, else the encoder's.</summary>
    public int FeatureWidth => projectionDim ?? Config.HiddenSize;

    /// <summary>Group 0 preprocesses dataset images and embeds them; one group per encoder layer; the head pools,
    /// projects and classifies.</summary>
    protected override GroupActivation RunGroup(int group, GroupActivation input) => new(group switch
    {
        0 => visionModel.Embed(Preprocessing.forward(input.Hidden)),
        _ when group <= visionModel.Layers.Count => visionModel.Layers[group - 1].forward(input.Hidden),
        _ => head.forward(Project(visionModel.Pool(input.Hidden))),
    });

    /// <summary>The vision model's last_hidden_state [B, tokens, width] (before post_layernorm) of preprocessed pixels.</summary>
    public Tensor LastHiddenState(Tensor pixelValues) => visionModel.LastHiddenState(pixelValues);

    /// <summary>What the head reads [B, <see cref="FeatureWidth"/>]: the pooled output, projected when there is a projection
    /// (Hugging Face's image_embeds, before any normalisation), of preprocessed pixels.</summary>
    public Tensor Features(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        return Project(visionModel.forward(pixelValues)).MoveToOuterDisposeScope();
    }

    private Tensor Project(Tensor pooled) => visualProjection?.forward(pooled) ?? pooled;

    /// <summary><c>embeddings</c> (Fixed), <c>vision_model.encoder.layers.{i}</c> (Selectable), <c>head</c> (Common).</summary>
    protected override IReadOnlyList<LayerGroup> DescribeGroups()
    {
        var plan = new LayerGroupPlan().Add("embeddings", LayerRole.Fixed, visionModel.Embeddings.Flops,
            $"{VisionModel}.embeddings", $"{VisionModel}.pre_layrnorm");
        foreach (var (layer, i) in visionModel.Layers.Select((layer, i) => (layer, i)))
            plan.Add($"{VisionModel}.encoder.layers.{i}", LayerRole.Selectable, layer.Flops, $"{VisionModel}.encoder.layers.{i}");
        long headFlops = FlopCount.Linear(FeatureWidth, NumClasses) + (visualProjection is null ? 0 : FlopCount.Linear(Config.HiddenSize, FeatureWidth));
        return plan.Add("head", LayerRole.Common, headFlops, $"{VisionModel}.post_layernorm", "visual_projection", HuggingFaceCheckpoint.HeadName).Build(this);
    }
}
