using System.Text.Json.Nodes;
using FedLayers.Weights;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>
/// Tiny random checkpoints in exactly the layout Hugging Face's save_pretrained writes for ViT and
/// CLIP: config.json with the fields of ViTConfig / CLIPVisionConfig / CLIPConfig, and
/// model.safetensors with every tensor name those models save.
/// </summary>
internal static class TinyVisionCheckpoints
{
    public const int Hidden = 32;
    public const int Layers = 2;
    public const int Heads = 2;
    public const int Intermediate = 64;
    public const int ProjectionDim = 16;
    private const int TextHidden = 24;
    private const int TextIntermediate = 48;
    private const int TextVocabulary = 50;
    private const int TextPositions = 8;

    /// <summary>The config.json of a ViTModel (image 28, patch 7: 16 patches + the class token).</summary>
    public static JsonObject VitConfig(int imageSize = 28, int patchSize = 7) => new()
    {
        ["architectures"] = new JsonArray("ViTModel"),
        ["attention_probs_dropout_prob"] = 0.0,
        ["encoder_stride"] = patchSize,
        ["hidden_act"] = "gelu",
        ["hidden_dropout_prob"] = 0.0,
        ["hidden_size"] = Hidden,
        ["image_size"] = imageSize,
        ["initializer_range"] = 0.02,
        ["intermediate_size"] = Intermediate,
        ["layer_norm_eps"] = 1e-12,
        ["model_type"] = "vit",
        ["num_attention_heads"] = Heads,
        ["num_channels"] = 3,
        ["num_hidden_layers"] = Layers,
        ["patch_size"] = patchSize,
        ["qkv_bias"] = true,
        ["torch_dtype"] = "float32",
        ["transformers_version"] = "4.46.0",
    };

    /// <summary>The tensors ViTModel saves (with its pooler), by Hugging Face name.</summary>
    public static Dictionary<string, Tensor> VitTensors(int seed, int imageSize = 28, int patchSize = 7)
    {
        var random = new Generator().manual_seed(seed);
        int tokens = (imageSize / patchSize) * (imageSize / patchSize) + 1;
        var tensors = new Dictionary<string, Tensor>
        {
            ["embeddings.cls_token"] = Values(random, 1, 1, Hidden),
            ["embeddings.position_embeddings"] = Values(random, 1, tokens, Hidden),
            ["embeddings.patch_embeddings.projection.weight"] = Values(random, Hidden, 3, patchSize, patchSize),
            ["embeddings.patch_embeddings.projection.bias"] = Values(random, Hidden),
        };
        for (int i = 0; i < Layers; i++)
        {
            string layer = $"encoder.layer.{i}.";
            foreach (var projection in new[] { "attention.attention.query", "attention.attention.key", "attention.attention.value", "attention.output.dense" })
                AddLinear(tensors, random, layer + projection, Hidden, Hidden);
            AddLinear(tensors, random, layer + "intermediate.dense", Hidden, Intermediate);
            AddLinear(tensors, random, layer + "output.dense", Intermediate, Hidden);
            AddLayerNorm(tensors, random, layer + "layernorm_before");
            AddLayerNorm(tensors, random, layer + "layernorm_after");
        }
        AddLayerNorm(tensors, random, "layernorm");
        AddLinear(tensors, random, "pooler.dense", Hidden, Hidden);
        return tensors;
    }

    /// <summary>What ViTForImageClassification saves: the encoder under "vit.", no pooler, and its own classifier.</summary>
    public static Dictionary<string, Tensor> VitForImageClassificationTensors(int seed, int classes)
    {
        var tensors = VitTensors(seed).Where(t => !t.Key.StartsWith("pooler.", StringComparison.Ordinal))
            .ToDictionary(t => "vit." + t.Key, t => t.Value);
        AddLinear(tensors, new Generator().manual_seed(seed + 1000), "classifier", Hidden, classes);
        return tensors;
    }

    /// <summary>The config.json of a CLIPVisionModelWithProjection (image 32, patch 8: 16 patches + the class token).</summary>
    public static JsonObject ClipVisionConfig(int imageSize = 32, int patchSize = 8) => new()
    {
        ["architectures"] = new JsonArray("CLIPVisionModelWithProjection"),
        ["attention_dropout"] = 0.0,
        ["dropout"] = 0.0,
        ["hidden_act"] = "quick_gelu",
        ["hidden_size"] = Hidden,
        ["image_size"] = imageSize,
        ["initializer_factor"] = 1.0,
        ["initializer_range"] = 0.02,
        ["intermediate_size"] = Intermediate,
        ["layer_norm_eps"] = 1e-5,
        ["model_type"] = "clip_vision_model",
        ["num_attention_heads"] = Heads,
        ["num_channels"] = 3,
        ["num_hidden_layers"] = Layers,
        ["patch_size"] = patchSize,
        ["projection_dim"] = ProjectionDim,
        ["torch_dtype"] = "float32",
        ["transformers_version"] = "4.46.0",
    };

    /// <summary>The tensors CLIPVisionModelWithProjection saves; without the projection, what CLIPVisionModel saves.</summary>
    public static Dictionary<string, Tensor> ClipVisionTensors(int seed, bool projection = true, int imageSize = 32, int patchSize = 8)
    {
        var random = new Generator().manual_seed(seed);
        int tokens = (imageSize / patchSize) * (imageSize / patchSize) + 1;
        var tensors = new Dictionary<string, Tensor>
        {
            ["vision_model.embeddings.class_embedding"] = Values(random, Hidden),
            ["vision_model.embeddings.patch_embedding.weight"] = Values(random, Hidden, 3, patchSize, patchSize),
            ["vision_model.embeddings.position_embedding.weight"] = Values(random, tokens, Hidden),
        };
        AddLayerNorm(tensors, random, "vision_model.pre_layrnorm");
        for (int i = 0; i < Layers; i++)
        {
            string layer = $"vision_model.encoder.layers.{i}.";
            foreach (var projectionName in new[] { "k_proj", "v_proj", "q_proj", "out_proj" })
                AddLinear(tensors, random, layer + "self_attn." + projectionName, Hidden, Hidden);
            AddLayerNorm(tensors, random, layer + "layer_norm1");
            AddLinear(tensors, random, layer + "mlp.fc1", Hidden, Intermediate);
            AddLinear(tensors, random, layer + "mlp.fc2", Intermediate, Hidden);
            AddLayerNorm(tensors, random, layer + "layer_norm2");
        }
        AddLayerNorm(tensors, random, "vision_model.post_layernorm");
        if (projection)
            tensors["visual_projection.weight"] = Values(random, ProjectionDim, Hidden);
        return tensors;
    }

    /// <summary>The config.json of a full CLIPModel: text and vision configs nested, projection_dim at the top.</summary>
    public static JsonObject FullClipConfig()
    {
        var vision = ClipVisionConfig();
        vision.Remove("architectures");
        return new JsonObject
        {
            ["architectures"] = new JsonArray("CLIPModel"),
            ["initializer_factor"] = 1.0,
            ["logit_scale_init_value"] = 2.6592,
            ["model_type"] = "clip",
            ["projection_dim"] = ProjectionDim,
            ["text_config"] = new JsonObject
            {
                ["hidden_act"] = "quick_gelu",
                ["hidden_size"] = TextHidden,
                ["intermediate_size"] = TextIntermediate,
                ["max_position_embeddings"] = TextPositions,
                ["model_type"] = "clip_text_model",
                ["num_attention_heads"] = 2,
                ["num_hidden_layers"] = 1,
                ["vocab_size"] = TextVocabulary,
            },
            ["torch_dtype"] = "float32",
            ["transformers_version"] = "4.46.0",
            ["vision_config"] = vision,
        };
    }

    /// <summary>A full CLIPModel's tensors: the image tower, a text tower, the text projection, the similarity scale,
    /// and the vision position_ids buffer that older exports saved.</summary>
    public static Dictionary<string, Tensor> FullClipTensors(int seed)
    {
        var tensors = ClipVisionTensors(seed);
        var random = new Generator().manual_seed(seed + 2000);
        tensors["vision_model.embeddings.position_ids"] = arange(tensors["vision_model.embeddings.position_embedding.weight"].shape[0]).unsqueeze(0);
        tensors["text_model.embeddings.token_embedding.weight"] = Values(random, TextVocabulary, TextHidden);
        tensors["text_model.embeddings.position_embedding.weight"] = Values(random, TextPositions, TextHidden);
        foreach (var projection in new[] { "k_proj", "v_proj", "q_proj", "out_proj" })
            AddLinear(tensors, random, "text_model.encoder.layers.0.self_attn." + projection, TextHidden, TextHidden);
        AddLayerNorm(tensors, random, "text_model.encoder.layers.0.layer_norm1", TextHidden);
        AddLinear(tensors, random, "text_model.encoder.layers.0.mlp.fc1", TextHidden, TextIntermediate);
        AddLinear(tensors, random, "text_model.encoder.layers.0.mlp.fc2", TextIntermediate, TextHidden);
        AddLayerNorm(tensors, random, "text_model.encoder.layers.0.layer_norm2", TextHidden);
        AddLayerNorm(tensors, random, "text_model.final_layer_norm", TextHidden);
        tensors["text_projection.weight"] = Values(random, ProjectionDim, TextHidden);
        tensors["logit_scale"] = tensor(2.6592f);
        return tensors;
    }

    /// <summary>Writes config.json and model.safetensors (with the metadata save_pretrained adds) into
    /// <paramref name="folder"/>, created if needed.</summary>
    public static string Write(string folder, JsonObject config, IReadOnlyDictionary<string, Tensor> tensors)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        return folder;
    }

    /// <summary>Values of order one, so that a wrong norm placement, activation or scale shows in the output.</summary>
    private static Tensor Values(Generator random, params long[] shape) => randn(shape, generator: random) * 0.3f;

    private static void AddLinear(Dictionary<string, Tensor> tensors, Generator random, string name, int inFeatures, int outFeatures)
    {
        tensors[name + ".weight"] = randn([outFeatures, inFeatures], generator: random) * (float)(1.5 / Math.Sqrt(inFeatures));
        tensors[name + ".bias"] = Values(random, outFeatures);
    }

    private static void AddLayerNorm(Dictionary<string, Tensor> tensors, Generator random, string name, int width = Hidden)
    {
        tensors[name + ".weight"] = 1f + Values(random, width);
        tensors[name + ".bias"] = Values(random, width);
    }
}
