using FedLayers.Data;

namespace FedLayers.Setup;

/// <summary>A dataset <c>--dataset</c> can name, and how to load it.</summary>
/// <param name="Name">the name <c>--dataset</c> takes.</param>
/// <param name="Summary">one line on what it is, for the help and the option reference.</param>
/// <param name="Load">reads the dataset's training and test parts.</param>
public sealed record DatasetEntry(string Name, string Summary, Func<DatasetArguments, DatasetSplits> Load) : IRegistryEntry
{
    /// <inheritdoc/>
    public PathUse Path { get; init; } = PathUse.None;

    /// <inheritdoc/>
    public IReadOnlyList<Setting> Settings { get; init; } = [];
}

/// <summary>What a dataset is loaded from.</summary>
/// <param name="Path">the PATH of <c>NAME:PATH</c>, or null.</param>
/// <param name="Seed">drives any split the dataset does not come with (e.g. a held-out test share).</param>
/// <param name="Config">the run's configuration, for the dataset's own settings.</param>
public sealed record DatasetArguments(string? Path, int Seed, RunConfig Config);
