using FedLayers.Data;

namespace FedLayers.Setup;

/// <summary>A way of splitting the training data among clients that <c>--partition</c> can name.</summary>
/// <param name="Name">the name <c>--partition</c> takes.</param>
/// <param name="Summary">one line on what it is, for the help and the option reference.</param>
/// <param name="Create">builds the partitioner from the run's configuration (it reads its own <see cref="Settings"/>).</param>
public sealed record PartitionerEntry(string Name, string Summary, Func<RunConfig, IPartitioner> Create) : IRegistryEntry
{
    /// <inheritdoc/>
    public IReadOnlyList<Setting> Settings { get; init; } = [];

    PathUse IRegistryEntry.Path => PathUse.None;
}
