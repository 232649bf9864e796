using FedLayers.Data;
using FedLayers.Models;

namespace FedLayers.Setup;

/// <summary>A model <c>--model</c> can name: how to build it for a dataset, and for text models the tokenizer it reads.</summary>
/// <param name="Name">the name <c>--model</c> takes.</param>
/// <param name="Summary">one line on what it is, for the help and the option reference.</param>
/// <param name="Create">builds the model for the data's shape; it reads its own <see cref="Settings"/> and refuses bad
/// values with an <see cref="ArgumentException"/> that names the parameter.</param>
public sealed record ModelEntry(string Name, string Summary, Func<ModelArguments, LayeredModel> Create) : IRegistryEntry
{
    /// <inheritdoc/>
    public PathUse Path { get; init; } = PathUse.None;

    /// <inheritdoc/>
    public IReadOnlyList<Setting> Settings { get; init; } = [];

    /// <summary>The tokenizer of a model that reads token ids; null for a model that reads images.</summary>
    public Func<ModelSource, ITextEncoder>? TextEncoder { get; init; }

    /// <summary>Whether the model at a path reads text, for entries whose checkpoint decides (default: whether
    /// <see cref="TextEncoder"/> is set).</summary>
    public Func<ModelSource, bool>? ReadsText { get; init; }
}

/// <summary>Which model: the run's configuration and the PATH of <c>NAME:PATH</c> (or null).</summary>
public sealed record ModelSource(RunConfig Config, string? Path);

/// <summary>What a model is built for.</summary>
/// <param name="Source">the run's configuration and the model's PATH.</param>
/// <param name="InputShape">one sample's shape: [channels, height, width] for images, [tokens] for token ids.</param>
/// <param name="NumClasses">the number of classes of the dataset: the width of the model's logits.</param>
/// <param name="Pixels">for image datasets, how their pixels were standardised; null for token ids.</param>
public sealed record ModelArguments(ModelSource Source, IReadOnlyList<long> InputShape, int NumClasses, PixelNormalization? Pixels)
{
    /// <summary>The run's configuration, for the model's own settings.</summary>
    public RunConfig Config => Source.Config;

    /// <summary>The PATH of <c>NAME:PATH</c>, or null.</summary>
    public string? Path => Source.Path;
}
