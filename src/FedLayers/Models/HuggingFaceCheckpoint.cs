using FedLayers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// Builds a model from a Hugging Face checkpoint's model.safetensors. Each tensor name of the file
/// is mapped to a module name or dropped (parts of the checkpoint the model does not use); every
/// kept tensor must be floating point (half precision is widened on copy) and have the shape that
/// the module, built from config.json, gives it; then <see cref="NamedTensorLoader"/> copies them in
/// by name and checks that none is missing, except the new head's. Problems are
/// <see cref="UserInputException"/>s naming the file and the tensor.
/// </summary>
public static class HuggingFaceCheckpoint
{
    /// <summary>The weights file in a checkpoint folder.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The module name of the new linear head of every classifier built on a checkpoint; it keeps its seeded initialisation.</summary>
    public const string HeadName = "head";

    /// <summary>Builds the model and copies the checkpoint's weights into it; on failure the model is disposed. The caller owns the result.</summary>
    /// <param name="folder">The checkpoint folder, holding <see cref="WeightsFileName"/>.</param>
    /// <param name="config">Its config.json, named in messages.</param>
    /// <param name="build">builds the model; it sees the file's tensor names, for choices config.json leaves open.</param>
    /// <param name="moduleName">the module's name for a tensor name of the file, or null for a tensor the model leaves out.</param>
    /// <exception cref="UserInputException">The weights file is missing or corrupt, or a tensor is missing, extra, not floating point, or of the wrong shape.</exception>
    public static TModel Load<TModel>(string folder, HuggingFaceConfig config, Func<IReadOnlyCollection<string>, TModel> build,
        Func<string, string?> moduleName) where TModel : nn.Module
    {
        string weightsPath = Path.Combine(folder, WeightsFileName);
        var tensors = SafetensorsReader.Read(weightsPath).Tensors;
        TModel? model = null;
        try
        {
            model = build(tensors.Keys);
            NamedTensorLoader.Load(model, Checked(tensors, model.state_dict(), weightsPath, config.FilePath, moduleName), weightsPath,
                name => name.StartsWith(HeadName + ".", StringComparison.Ordinal));
            return model;
        }
        catch
        {
            model?.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    /// <summary>The kept tensors by module name, after checking that none targets the head, and their dtypes,
    /// duplicates and shapes (named as in the file).</summary>
    private static Dictionary<string, Tensor> Checked(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, Tensor> state,
        string weightsPath, string configPath, Func<string, string?> moduleName)
    {
        var kept = new Dictionary<string, Tensor>();
        var fileNames = new Dictionary<string, string>();
        foreach (var (fileName, tensor) in tensors)
        {
            if (moduleName(fileName) is not { } name) continue;
            if (name.StartsWith(HeadName + ".", StringComparison.Ordinal))
                throw new UserInputException($"{weightsPath}: tensor '{fileName}' would overwrite the new head '{HeadName}' (expected no such tensor)");
            if (!tensor.is_floating_point())
                throw new UserInputException($"{weightsPath}: tensor '{fileName}' has dtype {tensor.dtype} (expected floating point weights)");
            if (fileNames.TryGetValue(name, out var other))
                throw new UserInputException($"{weightsPath}: tensors '{other}' and '{fileName}' both hold '{name}' (expected one)");
            if (state.TryGetValue(name, out var target) && !target.shape.SequenceEqual(tensor.shape))
                throw new UserInputException($"{weightsPath}: tensor '{fileName}' has shape [{string.Join(", ", tensor.shape)}], " +
                                             $"but {configPath} implies [{string.Join(", ", target.shape)}]");
            kept[name] = tensor;
            fileNames[name] = fileName;
        }
        return kept;
    }
}
