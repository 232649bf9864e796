using System.Text.Json;
using FedLayers.Reporting;

namespace FedLayers.Models;

/// <summary>model.json of a run folder (<see cref="RunFolder.ModelFile"/>): the model's layer groups in order, with role, parameters and
/// forward FLOPs per sample (what <c>fedlayers inspect</c> prints), so a run's selections can be read
/// without building the model.</summary>
public static class ModelReport
{
    /// <summary>Writes model.json to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="model">The model's name as the run was given it.</param>
    /// <param name="groups">The model's layer groups, input to output.</param>
    public static void Write(string path, string model, IReadOnlyList<LayerGroup> groups) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new
        {
            model,
            groups = groups.Select(g => new
            {
                name = g.Name,
                role = g.Role.ToString().ToLowerInvariant(),
                parameters = g.ParameterCount,
                forward_flops_per_sample = g.ForwardFlopsPerSample,
            }),
        }, Json.Indented));

    /// <summary>The selectable groups of the run in <paramref name="runFolder"/>, input to output.</summary>
    public static IReadOnlyList<string> SelectableGroups(string runFolder)
    {
        var path = Path.Combine(runFolder, RunFolder.ModelFileName);
        using var report = JsonDocument.Parse(File.ReadAllText(path));
        return report.RootElement.GetProperty("groups").EnumerateArray()
            .Where(g => g.GetProperty("role").GetString() == "selectable")
            .Select(g => g.GetProperty("name").GetString()!).ToList();
    }
}
