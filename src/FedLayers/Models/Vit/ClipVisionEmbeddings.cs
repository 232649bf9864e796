using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// Hugging Face's CLIPVisionEmbeddings: a class embedding followed by one token per patch (a
/// strided convolution without bias), plus learned position embeddings. Names: class_embedding,
/// patch_embedding, position_embedding. The position_ids buffer is a constant range, so it is not
/// kept (older checkpoints that saved it have it dropped on import).
/// </summary>
public sealed class ClipVisionEmbeddings : ExplicitlyNamedModule
{
    private readonly Conv2d patchEmbedding;
    private readonly Embedding positionEmbedding;
    private readonly VisionEncoderConfig config;

    /// <summary>Embeddings shaped by <paramref name="config"/>; the class embedding starts at zero, to be loaded from a checkpoint.</summary>
    public ClipVisionEmbeddings(VisionEncoderConfig config) : base("embeddings")
    {
        this.config = config;
        patchEmbedding = nn.Conv2d(VisionEncoderConfig.Channels, config.HiddenSize, config.PatchSize, stride: config.PatchSize, bias: false);
        positionEmbedding = nn.Embedding(config.Tokens, config.HiddenSize);
        // zeros: always overwritten by the checkpoint
        register_parameter("class_embedding", nn.Parameter(zeros(config.HiddenSize)));
        register_module("patch_embedding", patchEmbedding);
        register_module("position_embedding", positionEmbedding);
    }

    /// <summary>[B, 3, size, size] preprocessed pixels to [B, tokens, width].</summary>
    public override Tensor forward(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        var patches = patchEmbedding.forward(pixelValues).flatten(2).transpose(1, 2);
        var tokens = cat([get_parameter("class_embedding")!.expand(pixelValues.shape[0], 1, -1), patches], 1);
        // position i embeds token i, so the whole table is added in order
        return (tokens + positionEmbedding.weight!).MoveToOuterDisposeScope();
    }

    /// <summary>Forward FLOPs per image: the patch convolution.</summary>
    public long Flops => FlopCount.Conv2d(VisionEncoderConfig.Channels, config.HiddenSize, config.PatchSize, config.GridSize, config.GridSize);
}
