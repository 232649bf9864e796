using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// Hugging Face's ViTEmbeddings: a class token followed by one token per patch (a strided
/// convolution with bias), plus learned position embeddings. Names: cls_token,
/// position_embeddings, patch_embeddings.projection.
/// </summary>
public sealed class VitEmbeddings : ExplicitlyNamedModule
{
    private readonly Conv2d projection;
    private readonly VisionEncoderConfig config;

    /// <summary>Embeddings shaped by <paramref name="config"/>; the class token and position embeddings start at zero, to be loaded from a checkpoint.</summary>
    public VitEmbeddings(VisionEncoderConfig config) : base("embeddings")
    {
        this.config = config;
        projection = nn.Conv2d(VisionEncoderConfig.Channels, config.HiddenSize, config.PatchSize, stride: config.PatchSize);
        // zeros: both are always overwritten by the checkpoint
        register_parameter("cls_token", nn.Parameter(zeros(1, 1, config.HiddenSize)));
        register_parameter("position_embeddings", nn.Parameter(zeros(1, config.Tokens, config.HiddenSize)));
        register_module("patch_embeddings", new NamedContainer(("projection", projection)));
    }

    /// <summary>[B, 3, size, size] preprocessed pixels to [B, tokens, width].</summary>
    public override Tensor forward(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        var patches = projection.forward(pixelValues).flatten(2).transpose(1, 2);
        var tokens = cat([get_parameter("cls_token")!.expand(pixelValues.shape[0], -1, -1), patches], 1);
        return (tokens + get_parameter("position_embeddings")!).MoveToOuterDisposeScope();
    }

    /// <summary>Forward FLOPs per image: the patch convolution.</summary>
    public long Flops => FlopCount.Conv2d(VisionEncoderConfig.Channels, config.HiddenSize, config.PatchSize, config.GridSize, config.GridSize);
}
