using System.Text.Json.Nodes;
using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Models.Vit;
using TorchSharp;
using static FedLayers.Tests.Models.TinyVisionCheckpoints;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

/// <summary>ViT and CLIP image encoders from tiny random checkpoints in the exact Hugging Face layout.</summary>
public sealed class VisionCheckpointTests : IDisposable
{
    private const int Classes = 5;
    private static readonly PixelNormalization GrayPixels = new([0.25f], [0.5f]);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteCheckpoint(string name, JsonObject config, IReadOnlyDictionary<string, Tensor> tensors) =>
        Write(_folder.Path(name), config, tensors);

    private static LayeredModel Load(string folder) => HuggingFaceModels.Create(folder, Classes, GrayPixels);

    /// <summary>Every tensor of the checkpoint that the model uses equals the model's tensor of that name, bit for bit.</summary>
    private static void AssertHolds(LayeredModel model, IReadOnlyDictionary<string, Tensor> checkpoint, Func<string, string?> modelName)
    {
        var state = model.state_dict();
        int compared = 0;
        foreach (var (fileName, expected) in checkpoint)
        {
            if (modelName(fileName) is not { } name) continue;
            Assert.True(TensorAssert.BitwiseEqual(state[name], expected), $"'{name}' differs from the checkpoint's '{fileName}'");
            compared++;
        }
        // everything but the new head came from the checkpoint
        Assert.Equal(state.Keys.Count(k => !k.StartsWith("head.", StringComparison.Ordinal)), compared);
    }

    private static Tensor PixelValues(int size, int seed) => randn([2, 3, size, size], generator: new Generator().manual_seed(seed));

    private static double MaxAbsDifference(Tensor actual, Tensor expected) =>
        (actual.to_type(ScalarType.Float64) - expected).abs().max().item<double>();

    /// <summary>Float32 against the float64 reference: rounding stays below 1e-5, while the tanh GELU in place of
    /// the exact one already moves the ViT output by about 5e-4.</summary>
    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        double error = MaxAbsDifference(actual, expected);
        Assert.True(error < 2e-5, $"{what}: max abs difference {error:E2}");
    }

    private UserInputException LoadFails(string folder) => Assert.Throws<UserInputException>(() => Load(folder));

    [Fact]
    public void VitModelCheckpointLoadsBitwiseAndSavesBackIdentically()
    {
        var tensors = VitTensors(seed: 1);
        using var model = Load(WriteCheckpoint("vit", VitConfig(), tensors));
        Assert.IsType<VitClassifier>(model);
        AssertHolds(model, tensors, name => name.StartsWith("pooler.", StringComparison.Ordinal) ? null : name);

        var saved = model.state_dict().Where(e => !e.Key.StartsWith("head.", StringComparison.Ordinal)).ToDictionary(e => e.Key, e => e.Value);
        using var reloaded = Load(WriteCheckpoint("saved", VitConfig(), saved));
        AssertHolds(reloaded, saved, name => name);
    }

    [Fact]
    public void VitForImageClassificationCheckpointLoadsWithoutItsPrefixAndClassifier()
    {
        // the checkpoint's classifier has the very shape of the new head, and still must not be loaded
        var tensors = VitForImageClassificationTensors(seed: 2, classes: Classes);
        torch.manual_seed(7);
        using var model = Load(WriteCheckpoint("vit-classification", VitConfig(), tensors));
        AssertHolds(model, tensors, name => name.StartsWith("classifier.", StringComparison.Ordinal) ? null : name["vit.".Length..]);
        var head = model.state_dict()["head.weight"];
        Assert.False(TensorAssert.BitwiseEqual(head, tensors["classifier.weight"]), "the head was loaded from the checkpoint's classifier");

        torch.manual_seed(7);
        using var again = Load(WriteCheckpoint("vit-model", VitConfig(), VitTensors(seed: 3)));
        Assert.True(TensorAssert.BitwiseEqual(head, again.state_dict()["head.weight"]), "the head's initialisation does not follow the seed");
    }

    [Fact]
    public void ClipVisionWithProjectionLoadsBitwise()
    {
        var tensors = ClipVisionTensors(seed: 4);
        using var model = Load(WriteCheckpoint("clip-vision", ClipVisionConfig(), tensors));
        var clip = Assert.IsType<ClipVisionClassifier>(model);
        AssertHolds(model, tensors, name => name);
        Assert.Equal(ProjectionDim, clip.FeatureWidth);
    }

    [Fact]
    public void FullClipCheckpointLoadsTheImageTowerAndLeavesOutTheTextTower()
    {
        var tensors = FullClipTensors(seed: 5);
        using var model = Load(WriteCheckpoint("clip", FullClipConfig(), tensors));
        bool ImageTower(string name) => name.StartsWith("vision_model.", StringComparison.Ordinal) || name == "visual_projection.weight";
        AssertHolds(model, tensors, name => ImageTower(name) && name != "vision_model.embeddings.position_ids" ? name : null);
        Assert.DoesNotContain(model.state_dict().Keys, name => !ImageTower(name) && !name.StartsWith("head.", StringComparison.Ordinal));
    }

    [Fact]
    public void ClipVisionWithoutProjectionFeedsThePooledOutputToTheHead()
    {
        var config = ClipVisionConfig();
        config["architectures"] = new JsonArray("CLIPVisionModel");
        var tensors = ClipVisionTensors(seed: 6, projection: false);
        using var clip = Assert.IsType<ClipVisionClassifier>(Load(WriteCheckpoint("clip-no-projection", config, tensors)));
        AssertHolds(clip, tensors, name => name);
        Assert.Equal(Hidden, clip.FeatureWidth);
        Assert.Equal(["vision_model.post_layernorm.weight", "vision_model.post_layernorm.bias", "head.weight", "head.bias"],
            clip.Groups[^1].ParameterNames);
    }

    [Fact]
    public void VitGroupsAreEmbeddingsFixedEachLayerSelectableNormAndHeadCommon()
    {
        using var model = Load(WriteCheckpoint("vit", VitConfig(), VitTensors(seed: 1)));
        Assert.Equal(["embeddings", "encoder.layer.0", "encoder.layer.1", "head"], model.Groups.Select(g => g.Name));
        Assert.Equal([LayerRole.Fixed, LayerRole.Selectable, LayerRole.Selectable, LayerRole.Common], model.Groups.Select(g => g.Role));
        Assert.Equal(["embeddings.cls_token", "embeddings.position_embeddings",
            "embeddings.patch_embeddings.projection.weight", "embeddings.patch_embeddings.projection.bias"], model.Groups[0].ParameterNames);
        Assert.All(model.Groups[1].ParameterNames, name => Assert.StartsWith("encoder.layer.0.", name));
        Assert.Equal(16, model.Groups[1].ParameterNames.Count);
        Assert.Equal(["layernorm.weight", "layernorm.bias", "head.weight", "head.bias"], model.Groups[3].ParameterNames);
        Assert.Equal(model.parameters().Sum(p => p.numel()), model.Groups.Sum(g => g.ParameterCount));

        // 16 patches of 7x7x3 onto 32 channels; per layer, 17 tokens through 4 + 2 linear maps and attention
        Assert.Equal(2L * 3 * 7 * 7 * Hidden * 16, model.Groups[0].ForwardFlopsPerSample);
        Assert.Equal(2L * 17 * (4 * Hidden * Hidden + 2 * Hidden * Intermediate) + 4L * 17 * 17 * Hidden, model.Groups[1].ForwardFlopsPerSample);
        Assert.Equal(2L * Hidden * Classes, model.Groups[3].ForwardFlopsPerSample);
    }

    [Fact]
    public void ClipGroupsPutPreNormWithTheEmbeddingsAndPostNormAndProjectionWithTheHead()
    {
        using var model = Load(WriteCheckpoint("clip", FullClipConfig(), FullClipTensors(seed: 5)));
        Assert.Equal(["embeddings", "vision_model.encoder.layers.0", "vision_model.encoder.layers.1", "head"], model.Groups.Select(g => g.Name));
        Assert.Equal([LayerRole.Fixed, LayerRole.Selectable, LayerRole.Selectable, LayerRole.Common], model.Groups.Select(g => g.Role));
        Assert.Equal(["vision_model.embeddings.class_embedding", "vision_model.embeddings.patch_embedding.weight",
            "vision_model.embeddings.position_embedding.weight", "vision_model.pre_layrnorm.weight", "vision_model.pre_layrnorm.bias"],
            model.Groups[0].ParameterNames);
        Assert.All(model.Groups[2].ParameterNames, name => Assert.StartsWith("vision_model.encoder.layers.1.", name));
        Assert.Equal(["vision_model.post_layernorm.weight", "vision_model.post_layernorm.bias", "visual_projection.weight",
            "head.weight", "head.bias"], model.Groups[3].ParameterNames);
        Assert.Equal(model.parameters().Sum(p => p.numel()), model.Groups.Sum(g => g.ParameterCount));
        Assert.Equal(2L * Hidden * ProjectionDim + 2L * ProjectionDim * Classes, model.Groups[3].ForwardFlopsPerSample);
    }

    [Fact]
    public void ForwardTurnsAGrayscaleBatchIntoLogitsPerClass()
    {
        using var batch = randn(2, 1, 28, 28);
        using var vit = Load(WriteCheckpoint("vit", VitConfig(), VitTensors(seed: 1)));
        using var clip = Load(WriteCheckpoint("clip", ClipVisionConfig(), ClipVisionTensors(seed: 4)));
        foreach (var model in new[] { vit, clip })
        {
            using var logits = model.forward(batch);
            Assert.Equal([2L, Classes], logits.shape);
            Assert.True(logits.isfinite().all().item<bool>());
        }
    }

    [Fact]
    public void LocalTrainingMovesTheSelectedLayerAndTheHeadOnly()
    {
        using var data = TinyData.Images(32);
        torch.manual_seed(12);
        using var model = HuggingFaceModels.Create(WriteCheckpoint("clip", FullClipConfig(), FullClipTensors(seed: 5)), data.NumClasses, data.Pixels);
        using var global = ModelState.Capture(model);
        var trained = TrainableGroups.ForMask(model.Groups, [false, true]);
        using var update = new ClientTrainer(model, CPU).Train(0, global, data, Enumerable.Range(0, 32).ToList(), trained,
            new LocalTrainingOptions(1, 2, 0.05, 16), new Random(1));
        Assert.Equal(["vision_model.encoder.layers.1", "head"], update.TrainedGroups);
        var after = model.state_dict();
        foreach (var name in model.Groups.Where(g => !trained.Contains(g.Name)).SelectMany(g => g.TensorNames))
            Assert.True(TensorAssert.BitwiseEqual(after[name], global[name]), $"frozen '{name}' changed");
        foreach (var name in new[] { "vision_model.encoder.layers.1.mlp.fc1.weight", "visual_projection.weight", "head.weight" })
            Assert.True(update.Deltas[name].abs().sum().item<float>() > 0, $"trained '{name}' did not move");
    }

    [Fact]
    public void ConvertingTheModelKeepsItsStateNamesAndItsForward()
    {
        // a conversion (like a device move) replaces registered parameters: the modules must read the new ones
        using var batch = randn(2, 1, 28, 28, ScalarType.Float64);
        foreach (var folder in new[] { WriteCheckpoint("vit", VitConfig(), VitTensors(seed: 1)), WriteCheckpoint("clip", FullClipConfig(), FullClipTensors(seed: 5)) })
        {
            using var model = Load(folder);
            var names = model.state_dict().Keys.ToList();
            model.to(ScalarType.Float64);
            Assert.Equal(names, model.state_dict().Keys);
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
            using var logits = model.forward(batch);
            Assert.Equal(ScalarType.Float64, logits.dtype);
        }
    }

    [Fact]
    public void VitEncoderMatchesAHandWrittenComputation()
    {
        var tensors = VitTensors(seed: 8);
        using var vit = Assert.IsType<VitClassifier>(Load(WriteCheckpoint("vit", VitConfig(), tensors)));
        using var pixels = PixelValues(28, seed: 9);
        using var expected = HandWrittenVisionReference.Vit(tensors, pixels, Layers, Heads, eps: 1e-12);
        using var noGrad = no_grad();
        AssertClose(vit.LastHiddenState(pixels), expected, "last hidden state");
        AssertClose(vit.Features(pixels), expected[TensorIndex.Colon, 0], "class token features");
    }

    [Fact]
    public void ClipEncoderMatchesAHandWrittenComputation()
    {
        var tensors = ClipVisionTensors(seed: 10);
        using var clip = Assert.IsType<ClipVisionClassifier>(Load(WriteCheckpoint("clip", ClipVisionConfig(), tensors)));
        using var pixels = PixelValues(32, seed: 11);
        using var lastHiddenState = HandWrittenVisionReference.ClipLastHiddenState(tensors, pixels, Layers, Heads, eps: 1e-5);
        using var imageEmbeds = HandWrittenVisionReference.ClipImageEmbeds(tensors, lastHiddenState, eps: 1e-5);
        using var noGrad = no_grad();
        AssertClose(clip.LastHiddenState(pixels), lastHiddenState, "last hidden state");
        AssertClose(clip.Features(pixels), imageEmbeds, "image embeddings");
    }

    [Fact]
    public void PreprocessingRestoresPixelsThenAppliesTheModelsStandardisation()
    {
        // stored 1.1 under mean 0.25, std 0.5 is the pixel 0.8
        using var gray = full(2, 1, 28, 28, 1.1f);
        using var vit = Assert.IsType<VitClassifier>(Load(WriteCheckpoint("vit", VitConfig(), VitTensors(seed: 1))));
        using var vitInput = vit.Preprocessing.forward(gray);
        Assert.Equal([2L, 3, 28, 28], vitInput.shape);
        Assert.True(MaxAbsDifference(vitInput, full(2, 3, 28, 28, (0.8 - 0.5) / 0.5, ScalarType.Float64)) < 1e-6, "ViT's default mean and std 0.5");

        using var clip = Assert.IsType<ClipVisionClassifier>(Load(WriteCheckpoint("clip", ClipVisionConfig(), ClipVisionTensors(seed: 4))));
        using var clipInput = clip.Preprocessing.forward(gray);
        Assert.Equal([2L, 3, 32, 32], clipInput.shape);
        var clipDefault = VisionPreprocessing.ClipDefault;
        for (int c = 0; c < 3; c++)
            Assert.True(MaxAbsDifference(clipInput[TensorIndex.Colon, c], full(2, 32, 32, (0.8 - clipDefault.Mean[c]) / clipDefault.Std[c], ScalarType.Float64)) < 1e-5,
                $"CLIP's mean and std, channel {c}");

        string folder = WriteCheckpoint("vit-processor", VitConfig(), VitTensors(seed: 1));
        File.WriteAllText(Path.Combine(folder, "preprocessor_config.json"),
            """{"do_normalize": true, "image_mean": [0.1, 0.2, 0.3], "image_std": [0.2, 0.4, 0.5], "image_processor_type": "ViTImageProcessor"}""");
        using var custom = Assert.IsType<VitClassifier>(Load(folder));
        using var customInput = custom.Preprocessing.forward(gray);
        double[] expected = [(0.8 - 0.1) / 0.2, (0.8 - 0.2) / 0.4, (0.8 - 0.3) / 0.5];
        for (int c = 0; c < 3; c++)
            Assert.True(MaxAbsDifference(customInput[TensorIndex.Colon, c], full(2, 28, 28, expected[c], ScalarType.Float64)) < 1e-5,
                $"preprocessor_config.json's mean and std, channel {c}");
    }

    [Fact]
    public void ModelCatalogBuildsHfPathsAndKeepsItsOwnModels()
    {
        string folder = WriteCheckpoint("vit", VitConfig(), VitTensors(seed: 1));
        using (var model = BuiltIn.Model("hf:" + folder, [1, 28, 28], Classes, GrayPixels))
            Assert.IsType<VitClassifier>(model);
        using (var model = BuiltIn.Model("small-cnn", [1, 28, 28], Classes, GrayPixels))
            Assert.IsType<SmallCnn>(model);
        Assert.Contains("hf:", Assert.Throws<UserInputException>(() => BuiltIn.Model("hf:", [1, 28, 28], Classes, GrayPixels)).Message);
        Assert.Contains("image dataset",
            Assert.Throws<UserInputException>(() => BuiltIn.Model("hf:" + folder, [64], Classes, pixels: null)).Message);
    }

    [Fact]
    public void TruncatedSafetensorsIsAUserErrorNamingTheFile()
    {
        string folder = WriteCheckpoint("vit", VitConfig(), VitTensors(seed: 1));
        string weights = Path.Combine(folder, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length - 100)]);
        var error = LoadFails(folder);
        Assert.Contains(weights, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void TensorShapeThatDisagreesWithConfigIsAUserErrorNamingFileTensorAndShapes()
    {
        var tensors = VitTensors(seed: 1);
        tensors["encoder.layer.1.intermediate.dense.weight"] = zeros(Intermediate + 1, Hidden);
        string folder = WriteCheckpoint("vit", VitConfig(), tensors);
        var error = LoadFails(folder);
        Assert.Contains(Path.Combine(folder, "model.safetensors"), error.Message);
        Assert.Contains(Path.Combine(folder, "config.json"), error.Message);
        Assert.Contains("'encoder.layer.1.intermediate.dense.weight'", error.Message);
        Assert.Contains($"[{Intermediate + 1}, {Hidden}]", error.Message);
        Assert.Contains($"[{Intermediate}, {Hidden}]", error.Message);

        // with the task model's prefix, the message names the tensor as the file does
        var prefixed = VitForImageClassificationTensors(seed: 2, classes: Classes);
        prefixed["vit.embeddings.position_embeddings"] = zeros(1, 5, Hidden);
        Assert.Contains("'vit.embeddings.position_embeddings'", LoadFails(WriteCheckpoint("prefixed", VitConfig(), prefixed)).Message);
    }

    [Fact]
    public void HalfPrecisionWeightsAreWidenedAndIntegerWeightsRejected()
    {
        var half = ClipVisionTensors(seed: 4).ToDictionary(t => t.Key, t => t.Value.to_type(ScalarType.Float16));
        using var model = Load(WriteCheckpoint("half", ClipVisionConfig(), half));
        AssertHolds(model, half.ToDictionary(t => t.Key, t => t.Value.to_type(ScalarType.Float32)), name => name);

        var integers = ClipVisionTensors(seed: 4);
        integers["vision_model.pre_layrnorm.bias"] = zeros(Hidden, ScalarType.Int64);
        var error = LoadFails(WriteCheckpoint("integers", ClipVisionConfig(), integers));
        Assert.Contains("'vision_model.pre_layrnorm.bias' has dtype Int64", error.Message);
    }

    [Fact]
    public void MissingUnusedOrHeadTensorIsAUserErrorNamingIt()
    {
        var tensors = ClipVisionTensors(seed: 4);
        tensors.Remove("vision_model.encoder.layers.1.mlp.fc2.bias");
        Assert.Contains("'vision_model.encoder.layers.1.mlp.fc2.bias'", LoadFails(WriteCheckpoint("missing", ClipVisionConfig(), tensors)).Message);

        var extra = ClipVisionTensors(seed: 4);
        extra["vision_model.encoder.layers.2.mlp.fc2.bias"] = zeros(Hidden);
        Assert.Contains("'vision_model.encoder.layers.2.mlp.fc2.bias'", LoadFails(WriteCheckpoint("extra", ClipVisionConfig(), extra)).Message);

        var head = ClipVisionTensors(seed: 4);
        head["head.bias"] = zeros(Classes);
        Assert.Contains("'head.bias' would overwrite the new head", LoadFails(WriteCheckpoint("head", ClipVisionConfig(), head)).Message);
    }

    [Fact]
    public void MissingConfigFieldIsAUserErrorNamingFileAndField()
    {
        var config = VitConfig();
        config.Remove("hidden_size");
        string folder = WriteCheckpoint("vit", config, VitTensors(seed: 1));
        Assert.Equal($"{Path.Combine(folder, "config.json")}: missing field 'hidden_size' (expected an integer)", LoadFails(folder).Message);

        var clip = FullClipConfig();
        clip["vision_config"]!.AsObject().Remove("patch_size");
        string clipFolder = WriteCheckpoint("clip", clip, FullClipTensors(seed: 5));
        Assert.Contains("'vision_config.patch_size'", LoadFails(clipFolder).Message);
    }

    [Fact]
    public void UnsupportedModelTypeIsAUserErrorNamingTypeAndSupportedList()
    {
        var config = VitConfig();
        config["model_type"] = "swin";
        string folder = WriteCheckpoint("swin", config, VitTensors(seed: 1));
        var error = LoadFails(folder);
        Assert.Contains(Path.Combine(folder, "config.json"), error.Message);
        Assert.Contains("'swin'", error.Message);
        Assert.Contains("vit, clip_vision_model, clip", error.Message);

        config["model_type"] = "xlm-roberta";
        Assert.Contains("needs a text dataset", LoadFails(WriteCheckpoint("text", config, VitTensors(seed: 1))).Message);
    }

    [Fact]
    public void MissingFilesAreUserErrorsNamingThePath()
    {
        string folder = WriteCheckpoint("vit", VitConfig(), VitTensors(seed: 1));
        File.Delete(Path.Combine(folder, "model.safetensors"));
        Assert.Contains(Path.Combine(folder, "model.safetensors"), LoadFails(folder).Message);

        File.Delete(Path.Combine(folder, "config.json"));
        Assert.Contains(Path.Combine(folder, "config.json"), LoadFails(folder).Message);

        string nowhere = _folder.Path("nowhere");
        Assert.Contains(nowhere, LoadFails(nowhere).Message);
    }
}
