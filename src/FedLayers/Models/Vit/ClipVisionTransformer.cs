using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Vit;

/// <summary>
/// Hugging Face's CLIPVisionTransformer (the <c>vision_model</c> of CLIP checkpoints): embeddings,
/// pre_layrnorm (sic, Hugging Face's spelling), encoder.layers.{i}, and post_layernorm, which
/// normalises only the pooled class token.
/// </summary>
public sealed class ClipVisionTransformer : ExplicitlyNamedModule
{
    private readonly ClipVisionEmbeddings embeddings;
    private readonly LayerNorm preLayerNorm;
    private readonly ModuleList<ClipEncoderLayer> layers;
    private readonly LayerNorm postLayerNorm;

    /// <summary>A transformer shaped by <paramref name="config"/>, registered under the checkpoint's names; load its weights afterwards.</summary>
    public ClipVisionTransformer(VisionEncoderConfig config) : base("vision_model")
    {
        embeddings = new ClipVisionEmbeddings(config);
        preLayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        layers = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new ClipEncoderLayer(config)).ToArray());
        postLayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        register_module("embeddings", embeddings);
        register_module("pre_layrnorm", preLayerNorm);
        register_module("encoder", new NamedContainer(("layers", layers)));
        register_module("post_layernorm", postLayerNorm);
    }

    /// <summary>The encoder layers, input to output.</summary>
    public IList<ClipEncoderLayer> Layers => layers;

    /// <summary>The patch, class and position embeddings.</summary>
    public ClipVisionEmbeddings Embeddings => embeddings;

    /// <summary>The pooled output [B, width]: the class token's final state after post_layernorm.</summary>
    public override Tensor forward(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        return Pool(LastHiddenState(pixelValues)).MoveToOuterDisposeScope();
    }

    /// <summary>The encoder's output [B, tokens, width], before post_layernorm (Hugging Face's last_hidden_state).</summary>
    public Tensor LastHiddenState(Tensor pixelValues)
    {
        using var scope = NewDisposeScope();
        var x = Embed(pixelValues);
        foreach (var layer in layers) x = layer.forward(x);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>What the first encoder layer reads: the embeddings after pre_layrnorm.</summary>
    public Tensor Embed(Tensor pixelValues) => preLayerNorm.forward(embeddings.forward(pixelValues));

    /// <summary>The pooled output of a last hidden state: its class token after post_layernorm.</summary>
    public Tensor Pool(Tensor lastHiddenState) => postLayerNorm.forward(lastHiddenState.select(1, 0));
}
