using FedLayers.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// Hugging Face's ViTModel with a new linear head on the class token after the final layer norm
/// (as ViTForImageClassification reads it). Names mirror the checkpoint: embeddings.*,
/// encoder.layer.{i}.*, layernorm; the head is head.*. Groups (PAPER.md's reference
/// setup): the embeddings Fixed, each encoder layer Selectable, the final layer norm and the head Common.
/// </summary>
public sealed class VitClassifier : LayeredModel
{
    private readonly VitEmbeddings embeddings;
    private readonly ModuleList<VitLayer> layers;
    private readonly LayerNorm layernorm;
    private readonly Linear head;

    /// <summary>A classifier with TorchSharp's default initialisation; load the encoder's weights by name afterwards.</summary>
    /// <param name="config">The encoder's shape.</param>
    /// <param name="numClasses">The number of classes of the head.</param>
    /// <param name="datasetPixels">how the dataset standardised its pixels.</param>
    /// <param name="modelPixels">the standardisation the checkpoint was trained with.</param>
    public VitClassifier(VisionEncoderConfig config, int numClasses, PixelNormalization datasetPixels, PixelNormalization modelPixels) : base("vit")
    {
        Config = config;
        NumClasses = numClasses;
        // ViTImageProcessor resizes bilinearly
        Preprocessing = new VisionPreprocessing(datasetPixels, modelPixels, config.ImageSize, InterpolationMode.Bilinear);
        embeddings = new VitEmbeddings(config);
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new VitLayer(config)).ToArray());
        layernorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        head = nn.Linear(config.HiddenSize, numClasses);
        register_module("embeddings", embeddings);
        register_module("encoder", new NamedContainer(("layer", layers)));
        register_module("layernorm", layernorm);
        register_module(HuggingFaceCheckpoint.HeadName, head);
        register_module("preprocessing", Preprocessing);
    }

    /// <inheritdoc/>
    public override int NumClasses { get; }

    /// <summary>The encoder's shape.</summary>
    public VisionEncoderConfig Config { get; }

    /// <summary>Dataset images to the encoder's input (bilinear resize); group 0 runs it.</summary>
    public VisionPreprocessing Preprocessing { get; }

    /// <summary>Group 0 preprocesses dataset images and embeds them; one group per encoder layer; the head reads the class token.</summary>
    protected override GroupActivation RunGroup(int group, GroupActivation input) => new(group switch
    {
        0 => embeddings.forward(Preprocessing.forward(input.Hidden)),
        _ when group <= layers.Count => layers[group - 1].forward(input.Hidden),
        _ => head.forward(ClassToken(input.Hidden)),
    });

    /// <summary>ViTModel's last_hidden_state [B, tokens, width] (after the final layer norm) of preprocessed pixels.</summary>
    public Tensor LastHiddenState(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        return layernorm.forward(Encode(pixelValues)).MoveToOuterDisposeScope();
    }

    /// <summary>The class token's final state [B, width], what the head reads, of preprocessed pixels.</summary>
    public Tensor Features(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        return ClassToken(Encode(pixelValues)).MoveToOuterDisposeScope();
    }

    // the layer norm acts on each token alone, so normalising only the class token gives the same vector
    private Tensor ClassToken(Tensor encoded) => layernorm.forward(encoded.select(1, 0));

    private Tensor Encode(Tensor pixelValues) => Run(new GroupActivation(embeddings.forward(pixelValues)), 1, 1 + layers.Count).Hidden;

    /// <summary><c>embeddings</c> (Fixed), <c>encoder.layer.{i}</c> (Selectable), <c>head</c> with the final layer norm (Common).</summary>
    protected override IReadOnlyList<LayerGroup> DescribeGroups()
    {
        var plan = new LayerGroupPlan().Add("embeddings", LayerRole.Fixed, embeddings.Flops, "embeddings");
        for (int i = 0; i < layers.Count; i++)
            plan.Add($"encoder.layer.{i}", LayerRole.Selectable, layers[i].Flops, $"encoder.layer.{i}");
        return plan.Add("head", LayerRole.Common, FlopCount.Linear(Config.HiddenSize, NumClasses), "layernorm", HuggingFaceCheckpoint.HeadName).Build(this);
    }
}
