using System.Text.Json;
using FedLayers.Reporting;
using FedLayers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// checkpoint.safetensors in a run folder, rewritten after every completed round: the global
/// weights as tensors, and in the metadata the round loop's <see cref="ServerProgress"/>, the seed
/// and the clients' budgets. The write goes to a temporary file that is flushed to disk and then
/// renamed, so a run killed at any moment leaves either the previous checkpoint or the new one.
/// It is also the run's fine-tuned model: a safetensors file with the model's own tensor names.
/// </summary>
public static class RunCheckpoint
{
    private const string Format = "fedlayers-checkpoint/1";

    /// <summary>Writes the checkpoint to <paramref name="path"/>, replacing the previous one atomically.</summary>
    /// <param name="path">the checkpoint file, e.g. the run folder's checkpoint.safetensors.</param>
    /// <param name="global">the global weights after the last completed round.</param>
    /// <param name="progress">the round loop's state to resume from.</param>
    /// <param name="seed">the run's seed; <see cref="Read"/> refuses another.</param>
    /// <param name="budgets">the clients' budgets; <see cref="Read"/> refuses others.</param>
    public static void Write(string path, ModelState global, ServerProgress progress, int seed, IReadOnlyList<double> budgets)
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = Format,
            ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["budgets"] = JsonSerializer.Serialize(budgets, Json.Options),
            ["progress"] = JsonSerializer.Serialize(progress, Json.Options),
        };
        SafetensorsWriter.Write(path, global.Names.ToDictionary(name => name, name => global[name]), metadata);
    }

    /// <summary>Loads the checkpoint's weights into <paramref name="global"/> and returns its progress, after checking
    /// that it belongs to this run: same format, seed, budgets and tensors (names, shapes, dtypes).</summary>
    public static ServerProgress Read(string path, ModelState global, int seed, IReadOnlyList<double> budgets)
    {
        if (!File.Exists(path))
            throw new UserInputException($"'{path}' does not exist; the run folder holds no checkpoint to resume from");
        var content = SafetensorsReader.Read(path);
        try
        {
            string Field(string key) => content.Metadata.TryGetValue(key, out var value) ? value
                : throw new UserInputException($"{path}: the metadata has no '{key}'; expected a FedLayers checkpoint ({Format})");
            if (Field("format") != Format) throw new UserInputException($"{path}: format '{Field("format")}', expected '{Format}'");
            if (Field("seed") != seed.ToString(System.Globalization.CultureInfo.InvariantCulture))
                throw new UserInputException($"{path}: written with seed {Field("seed")}, but this run has seed {seed}");
            var saved = Parse<double[]>(path, "budgets", Field("budgets"));
            if (!saved.SequenceEqual(budgets))
                throw new UserInputException($"{path}: the clients' budgets differ from this run's; was the configuration changed?");
            var progress = Parse<ServerProgress>(path, "progress", Field("progress"));
            LoadWeights(path, content.Tensors, global);
            return progress;
        }
        finally
        {
            foreach (var tensor in content.Tensors.Values) tensor.Dispose();
        }
    }

    private static T Parse<T>(string path, string key, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Json.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: metadata '{key}' is not valid ({e.Message.Split(". ")[0]})");
        }
    }

    private static void LoadWeights(string path, IReadOnlyDictionary<string, Tensor> saved, ModelState global)
    {
        var missing = global.Names.Where(name => !saved.ContainsKey(name)).ToList();
        var extra = saved.Keys.Where(name => !global.Names.Contains(name)).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new UserInputException($"{path}: the tensors do not match the model" +
                (missing.Count > 0 ? $"; missing {string.Join(", ", missing.Take(3))}" : "") +
                (extra.Count > 0 ? $"; not in the model {string.Join(", ", extra.Take(3))}" : ""));
        using var _ = no_grad();
        foreach (var name in global.Names)
        {
            var (target, source) = (global[name], saved[name]);
            if (target.dtype != source.dtype || !target.shape.SequenceEqual(source.shape))
                throw new UserInputException($"{path}: tensor '{name}' is {source.dtype} [{string.Join(", ", source.shape)}], " +
                                             $"the model has {target.dtype} [{string.Join(", ", target.shape)}]");
        }
        foreach (var name in global.Names) global[name].copy_(saved[name]);
    }
}
