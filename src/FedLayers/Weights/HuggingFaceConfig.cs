using System.Text.Json;

namespace FedLayers.Weights;

/// <summary>
/// A typed view of a Hugging Face JSON configuration file (a checkpoint's config.json, its
/// preprocessor_config.json) or of one object inside it, such as a CLIP checkpoint's
/// <c>vision_config</c>. Every problem is a <see cref="UserInputException"/> naming the file, the
/// field (dotted from the file's root) and what was expected. A field set to null counts as
/// absent, as it does for Hugging Face's own config classes.
/// </summary>
public sealed class HuggingFaceConfig
{
    /// <summary>A checkpoint's model configuration file.</summary>
    public const string FileName = "config.json";

    /// <summary>A checkpoint's image preprocessing file (mean, std, size).</summary>
    public const string PreprocessorFileName = "preprocessor_config.json";

    private readonly JsonElement fields;
    private readonly string fieldPrefix;

    private HuggingFaceConfig(string filePath, JsonElement fields, string fieldPrefix)
    {
        FilePath = filePath;
        this.fields = fields;
        this.fieldPrefix = fieldPrefix;
    }

    /// <summary>The file the fields come from.</summary>
    public string FilePath { get; }

    /// <summary>Reads <paramref name="path"/>, which must hold one JSON object.</summary>
    public static HuggingFaceConfig Read(string path)
    {
        if (!File.Exists(path))
            throw new UserInputException($"{path}: file not found (expected a Hugging Face JSON configuration)");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new UserInputException($"{path}: expected a JSON object, found {Describe(document.RootElement)}");
            // A clone owns its memory, so the document can go.
            return new HuggingFaceConfig(path, document.RootElement.Clone(), "");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: expected a JSON object, found invalid JSON ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot be read ({e.Message})");
        }
    }

    /// <summary>Reads <paramref name="path"/> when the file exists, else null.</summary>
    public static HuggingFaceConfig? ReadIfExists(string path) => File.Exists(path) ? Read(path) : null;

    /// <summary>The architecture name Hugging Face dispatches on, e.g. "vit", "clip", "bert".</summary>
    public string ModelType => GetString("model_type");

    /// <summary>Whether <paramref name="field"/> is present and not null.</summary>
    public bool HasField(string field) => Find(field) is not null;

    /// <summary>A required 32-bit integer field.</summary>
    /// <exception cref="UserInputException">The field is absent or not an integer.</exception>
    public int GetInt(string field) => ReadInt(field, Require(field, "an integer"));

    /// <summary>An optional 32-bit integer field; <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="UserInputException">The field is present but not an integer.</exception>
    public int GetInt(string field, int fallback) => Find(field) is { } value ? ReadInt(field, value) : fallback;

    /// <summary>A required number field.</summary>
    /// <exception cref="UserInputException">The field is absent or not a number.</exception>
    public double GetDouble(string field) => ReadDouble(field, Require(field, "a number"));

    /// <summary>An optional number field; <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="UserInputException">The field is present but not a number.</exception>
    public double GetDouble(string field, double fallback) => Find(field) is { } value ? ReadDouble(field, value) : fallback;

    /// <summary>A required string field.</summary>
    /// <exception cref="UserInputException">The field is absent or not a string.</exception>
    public string GetString(string field) => ReadString(field, Require(field, "a string"));

    /// <summary>An optional string field; <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="UserInputException">The field is present but not a string.</exception>
    public string GetString(string field, string fallback) => Find(field) is { } value ? ReadString(field, value) : fallback;

    /// <summary>An optional boolean field; <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="UserInputException">The field is present but not true or false.</exception>
    public bool GetBool(string field, bool fallback) => Find(field) is { } value ? ReadBool(field, value) : fallback;

    /// <summary>An array of numbers, e.g. <c>image_mean</c>.</summary>
    public float[] GetFloats(string field)
    {
        var value = Require(field, "an array of numbers");
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.Number))
            throw Mistyped(field, value, "an array of numbers");
        return [.. value.EnumerateArray().Select(item => (float)item.GetDouble())];
    }

    /// <summary>A nested object, e.g. <c>vision_config</c>; its messages still name this file.</summary>
    public HuggingFaceConfig GetSection(string field)
    {
        var value = Require(field, "an object");
        if (value.ValueKind != JsonValueKind.Object)
            throw Mistyped(field, value, "an object");
        return new HuggingFaceConfig(FilePath, value, Qualified(field) + ".");
    }

    /// <summary>A problem with a field's value beyond its type, e.g. "is 30, not divisible by num_attention_heads (4)".</summary>
    public UserInputException InvalidField(string field, string problem) => new($"{FilePath}: field '{Qualified(field)}' {problem}");

    private JsonElement? Find(string field) =>
        fields.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private JsonElement Require(string field, string expected) =>
        Find(field) ?? throw new UserInputException($"{FilePath}: missing field '{Qualified(field)}' (expected {expected})");

    private int ReadInt(string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int result) ? result : throw Mistyped(field, value, "an integer");

    private double ReadDouble(string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Mistyped(field, value, "a number");

    private string ReadString(string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Mistyped(field, value, "a string");

    private bool ReadBool(string field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Mistyped(field, value, "true or false"),
    };

    private UserInputException Mistyped(string field, JsonElement value, string expected) =>
        new($"{FilePath}: field '{Qualified(field)}' is {Describe(value)} (expected {expected})");

    private string Qualified(string field) => fieldPrefix + field;

    private static string Describe(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null) return "null";
        string kind = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        };
        const int Shown = 40;
        string text = value.GetRawText();
        return $"{kind} {(text.Length <= Shown ? text : text[..Shown] + "...")}";
    }
}
