namespace FedLayers.Models;

/// <summary>
/// How a Hugging Face checkpoint's tensor names map onto our classifier's: the prefix task models
/// save the encoder under (<c>bert.</c>, <c>roberta.</c>, <c>vit.</c>) is dropped, and the parts the
/// classifier does not have (poolers, task heads, stored constant ids) are left out.
/// </summary>
internal sealed class CheckpointTensorNames(string taskModelPrefix, IReadOnlyList<string> leftOutPrefixes, IReadOnlyList<string> leftOutNames)
{
    /// <summary>The classifier's name for a checkpoint tensor, or null for a part it leaves out.</summary>
    public string? Map(string fileName)
    {
        var name = taskModelPrefix.Length > 0 && fileName.StartsWith(taskModelPrefix, StringComparison.Ordinal) ? fileName[taskModelPrefix.Length..] : fileName;
        return leftOutPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || leftOutNames.Contains(name) ? null : name;
    }
}
