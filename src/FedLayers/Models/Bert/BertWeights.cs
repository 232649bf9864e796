using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// Copies named pretrained tensors (Hugging Face BertModel names, as the importers in Weights/
/// return them) into a <see cref="BertModel"/> or <see cref="BertClassifier"/>, checking both
/// ways: every encoder parameter (<c>embeddings.*</c>, <c>encoder.*</c>) must be provided with
/// its exact shape, and every provided tensor must be used. Exceptions: the checkpoint's pooler
/// (<c>pooler.*</c>, the [CLS] projection of BertModel) is ignored, since FedLayers pools by mean;
/// parameters outside the encoder (a classifier's new head) keep their initialisation.
/// </summary>
public static class BertWeights
{
    /// <summary>The parameter name prefixes that make up the encoder; only these parameters are loaded.</summary>
    public static readonly IReadOnlyList<string> EncoderPrefixes = ["embeddings.", "encoder."];

    /// <summary>The prefix of the checkpoint's pooler tensors, which are accepted and ignored.</summary>
    public const string PoolerPrefix = "pooler.";

    /// <summary>Copies <paramref name="tensors"/> into <paramref name="model"/>'s encoder parameters in place; the caller keeps and disposes the tensors.</summary>
    /// <param name="model">A module with Hugging Face BertModel parameter names.</param>
    /// <param name="tensors">The pretrained tensors by Hugging Face name.</param>
    /// <param name="source">names the checkpoint (file or resource) in error messages.</param>
    /// <returns>the number of tensors copied.</returns>
    /// <exception cref="UserInputException">a parameter is missing, a shape differs or a tensor is left unused.</exception>
    public static int Load(nn.Module model, IReadOnlyDictionary<string, Tensor> tensors, string source = "pretrained weights")
    {
        var parameters = model.named_parameters()
            .Where(p => EncoderPrefixes.Any(prefix => p.name.StartsWith(prefix, StringComparison.Ordinal)))
            .ToList();
        var missing = parameters.Where(p => !tensors.ContainsKey(p.name)).Select(p => p.name).ToList();
        if (missing.Count > 0)
            throw new UserInputException($"{source}: missing {missing.Count} weight(s) the model needs: {Shorten(missing)}");
        var wrongShape = parameters.Where(p => !tensors[p.name].shape.SequenceEqual(p.parameter.shape))
            .Select(p => $"{p.name} is [{string.Join(", ", tensors[p.name].shape)}], expected [{string.Join(", ", p.parameter.shape)}]")
            .ToList();
        if (wrongShape.Count > 0)
            throw new UserInputException($"{source}: {wrongShape.Count} weight(s) with the wrong shape: {Shorten(wrongShape)}");
        var names = parameters.Select(p => p.name).ToHashSet();
        var unused = tensors.Keys.Where(n => !names.Contains(n) && !n.StartsWith(PoolerPrefix, StringComparison.Ordinal)).Order().ToList();
        if (unused.Count > 0)
            throw new UserInputException($"{source}: {unused.Count} weight(s) the model has no parameter for: {Shorten(unused)}");

        using var _ = no_grad();
        foreach (var (name, parameter) in parameters)
            parameter.copy_(tensors[name]);
        return parameters.Count;
    }

    private static string Shorten(IReadOnlyList<string> items) =>
        string.Join("; ", items.Take(5)) + (items.Count > 5 ? $"; ... ({items.Count - 5} more)" : "");
}
