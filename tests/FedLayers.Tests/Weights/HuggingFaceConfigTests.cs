using FedLayers.Weights;

namespace FedLayers.Tests.Weights;

public sealed class HuggingFaceConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteConfig(string json, string name = "config.json")
    {
        string path = _folder.Path(name);
        File.WriteAllText(path, json);
        return path;
    }

    private const string ClipJson = """
        {
          "model_type": "clip",
          "projection_dim": 512,
          "logit_scale_init_value": 2.6592,
          "tie": null,
          "vision_config": {"model_type": "clip_vision_model", "hidden_size": 768, "hidden_act": "quick_gelu",
                            "layer_norm_eps": 1e-05, "qkv_bias": false, "image_mean": [0.5, 0.25, 1]}
        }
        """;

    [Fact]
    public void TypedGettersReadFieldsAndNestedSections()
    {
        var config = HuggingFaceConfig.Read(WriteConfig(ClipJson));
        Assert.Equal("clip", config.ModelType);
        Assert.Equal(512, config.GetInt("projection_dim"));
        Assert.Equal(2.6592, config.GetDouble("logit_scale_init_value"));
        var vision = config.GetSection("vision_config");
        Assert.Equal("clip_vision_model", vision.ModelType);
        Assert.Equal(768, vision.GetInt("hidden_size"));
        Assert.Equal(1e-5, vision.GetDouble("layer_norm_eps"));
        Assert.Equal(768.0, vision.GetDouble("hidden_size"));
        Assert.Equal("quick_gelu", vision.GetString("hidden_act"));
        Assert.False(vision.GetBool("qkv_bias", true));
        Assert.Equal([0.5f, 0.25f, 1f], vision.GetFloats("image_mean"));
        Assert.Equal(config.FilePath, vision.FilePath);
    }

    [Fact]
    public void AbsentAndNullFieldsTakeTheFallback()
    {
        var config = HuggingFaceConfig.Read(WriteConfig(ClipJson));
        Assert.Equal(3, config.GetInt("num_channels", 3));
        Assert.Equal(1e-12, config.GetDouble("tie", 1e-12));
        Assert.True(config.GetBool("qkv_bias", true));
        Assert.Equal("gelu", config.GetString("hidden_act", "gelu"));
        Assert.False(config.HasField("tie"));
        Assert.True(config.HasField("projection_dim"));
    }

    [Fact]
    public void MissingFieldNamesFileFieldAndExpectedType()
    {
        string path = WriteConfig(ClipJson);
        var config = HuggingFaceConfig.Read(path);
        Assert.Equal($"{path}: missing field 'hidden_size' (expected an integer)",
            Assert.Throws<UserInputException>(() => config.GetInt("hidden_size")).Message);
        Assert.Equal($"{path}: missing field 'tie' (expected a number)",
            Assert.Throws<UserInputException>(() => config.GetDouble("tie")).Message);
        Assert.Equal($"{path}: missing field 'vision_config.patch_size' (expected an integer)",
            Assert.Throws<UserInputException>(() => config.GetSection("vision_config").GetInt("patch_size")).Message);
        Assert.Equal($"{path}: missing field 'text_config' (expected an object)",
            Assert.Throws<UserInputException>(() => config.GetSection("text_config")).Message);
    }

    [Fact]
    public void MistypedFieldIsAnErrorEvenWithAFallback()
    {
        string path = WriteConfig("""{"hidden_size": "768", "layer_norm_eps": 1e-5, "qkv_bias": 1, "image_mean": [0.5, "x"], "model_type": 7}""");
        var config = HuggingFaceConfig.Read(path);
        Assert.Equal($"{path}: field 'hidden_size' is a string \"768\" (expected an integer)",
            Assert.Throws<UserInputException>(() => config.GetInt("hidden_size", 32)).Message);
        Assert.Contains("'layer_norm_eps' is a number 1e-5 (expected an integer)",
            Assert.Throws<UserInputException>(() => config.GetInt("layer_norm_eps")).Message);
        Assert.Contains("'qkv_bias' is a number 1 (expected true or false)",
            Assert.Throws<UserInputException>(() => config.GetBool("qkv_bias", true)).Message);
        Assert.Contains("'image_mean' is an array [0.5, \"x\"] (expected an array of numbers)",
            Assert.Throws<UserInputException>(() => config.GetFloats("image_mean")).Message);
        Assert.Contains("'model_type' is a number 7 (expected a string)",
            Assert.Throws<UserInputException>(() => config.ModelType).Message);
        Assert.Contains("'hidden_size' is a string \"768\" (expected an object)",
            Assert.Throws<UserInputException>(() => config.GetSection("hidden_size")).Message);
    }

    [Fact]
    public void UnreadableFilesNameThePath()
    {
        string missing = _folder.Path("config.json");
        Assert.Contains($"{missing}: file not found", Assert.Throws<UserInputException>(() => HuggingFaceConfig.Read(missing)).Message);
        Assert.Null(HuggingFaceConfig.ReadIfExists(missing));

        string invalid = WriteConfig("""{"model_type": "vit",""", "invalid.json");
        Assert.Contains($"{invalid}: expected a JSON object, found invalid JSON", Assert.Throws<UserInputException>(() => HuggingFaceConfig.Read(invalid)).Message);

        string array = WriteConfig("[1, 2]", "array.json");
        Assert.Equal($"{array}: expected a JSON object, found an array [1, 2]", Assert.Throws<UserInputException>(() => HuggingFaceConfig.Read(array)).Message);
    }
}
