using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>
/// ViT and CLIP image encoders spelled out with plain tensor operations in double precision,
/// straight from Hugging Face's definitions and the checkpoint's tensors by name: patches cut with
/// unfold (not a convolution), attention as softmax(QK^T / sqrt(d)) V, layer norm and the
/// activations from their formulas. A wiring mistake in the modules shows as a difference.
/// </summary>
internal static class HandWrittenVisionReference
{
    /// <summary>ViTModel's last_hidden_state: pre-norm layers with exact (erf) GELU, then the final layernorm.</summary>
    public static Tensor Vit(IReadOnlyDictionary<string, Tensor> w, Tensor pixels, int layers, int heads, double eps)
    {
        var x = Patches(pixels, w["embeddings.patch_embeddings.projection.weight"]).matmul(Flat(w["embeddings.patch_embeddings.projection.weight"]).t())
                + D(w["embeddings.patch_embeddings.projection.bias"]);
        x = cat([D(w["embeddings.cls_token"]).expand(x.shape[0], 1, -1), x], 1) + D(w["embeddings.position_embeddings"]);
        for (int i = 0; i < layers; i++)
        {
            string layer = $"encoder.layer.{i}.";
            var h = LayerNorm(x, w, layer + "layernorm_before", eps);
            var context = Attention(Linear(h, w, layer + "attention.attention.query"), Linear(h, w, layer + "attention.attention.key"),
                Linear(h, w, layer + "attention.attention.value"), heads);
            x = x + Linear(context, w, layer + "attention.output.dense");
            var a = Linear(LayerNorm(x, w, layer + "layernorm_after", eps), w, layer + "intermediate.dense");
            x = x + Linear(0.5 * a * (1 + (a / Math.Sqrt(2)).erf()), w, layer + "output.dense");
        }
        return LayerNorm(x, w, "layernorm", eps);
    }

    /// <summary>CLIPVisionTransformer's last_hidden_state: pre_layrnorm on the embeddings, pre-norm layers with
    /// quick GELU; no norm at the end (post_layernorm acts on the pooled token only).</summary>
    public static Tensor ClipLastHiddenState(IReadOnlyDictionary<string, Tensor> w, Tensor pixels, int layers, int heads, double eps)
    {
        const string Prefix = "vision_model.";
        var patchWeight = w[Prefix + "embeddings.patch_embedding.weight"];
        var x = Patches(pixels, patchWeight).matmul(Flat(patchWeight).t());
        x = cat([D(w[Prefix + "embeddings.class_embedding"]).expand(x.shape[0], 1, -1), x], 1)
            + D(w[Prefix + "embeddings.position_embedding.weight"]);
        x = LayerNorm(x, w, Prefix + "pre_layrnorm", eps);
        for (int i = 0; i < layers; i++)
        {
            string layer = $"{Prefix}encoder.layers.{i}.";
            var h = LayerNorm(x, w, layer + "layer_norm1", eps);
            var context = Attention(Linear(h, w, layer + "self_attn.q_proj"), Linear(h, w, layer + "self_attn.k_proj"),
                Linear(h, w, layer + "self_attn.v_proj"), heads);
            x = x + Linear(context, w, layer + "self_attn.out_proj");
            var a = Linear(LayerNorm(x, w, layer + "layer_norm2", eps), w, layer + "mlp.fc1");
            x = x + Linear(a * (1.702 * a).sigmoid(), w, layer + "mlp.fc2");
        }
        return x;
    }

    /// <summary>CLIPVisionModelWithProjection's image_embeds: post_layernorm of the class token, then the projection (no bias).</summary>
    public static Tensor ClipImageEmbeds(IReadOnlyDictionary<string, Tensor> w, Tensor lastHiddenState, double eps) =>
        LayerNorm(lastHiddenState[TensorIndex.Colon, 0], w, "vision_model.post_layernorm", eps).matmul(D(w["visual_projection.weight"]).t());

    /// <summary>[B, 3, S, S] to [B, patches, 3 * p * p]: patches in row-major order, each flattened channel-first like a conv kernel.</summary>
    private static Tensor Patches(Tensor pixels, Tensor kernel)
    {
        long p = kernel.shape[2], batch = pixels.shape[0];
        var patches = D(pixels).unfold(2, p, p).unfold(3, p, p); // [B, 3, G, G, p, p]
        return patches.permute(0, 2, 3, 1, 4, 5).reshape(batch, -1, 3 * p * p);
    }

    private static Tensor Flat(Tensor kernel) => D(kernel).reshape(kernel.shape[0], -1);

    private static Tensor Linear(Tensor x, IReadOnlyDictionary<string, Tensor> w, string name) =>
        x.matmul(D(w[name + ".weight"]).t()) + D(w[name + ".bias"]);

    private static Tensor LayerNorm(Tensor x, IReadOnlyDictionary<string, Tensor> w, string name, double eps)
    {
        var mean = x.mean([-1], keepdim: true);
        var variance = (x - mean).pow(2).mean([-1], keepdim: true);
        return (x - mean) / (variance + eps).sqrt() * D(w[name + ".weight"]) + D(w[name + ".bias"]);
    }

    private static Tensor Attention(Tensor q, Tensor k, Tensor v, int heads)
    {
        long batch = q.shape[0], tokens = q.shape[1], width = q.shape[2], headWidth = width / heads;
        Tensor Split(Tensor t) => t.view(batch, tokens, heads, headWidth).transpose(1, 2);
        var weights = (Split(q).matmul(Split(k).transpose(-2, -1)) / Math.Sqrt(headWidth)).softmax(-1);
        return weights.matmul(Split(v)).transpose(1, 2).reshape(batch, tokens, width);
    }

    private static Tensor D(Tensor t) => t.to_type(ScalarType.Float64);
}
