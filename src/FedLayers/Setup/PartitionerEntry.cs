using FedLayers.Data;

namespace FedLayers.Setup;

/// <summary>A way of splitting the training data among clients that <c>--partition</c> can name.</summary>
/// <param name="Create">builds the partitioner from the run's configuration (it reads its own <see cref="Settings"/>).</param>
public sealed record PartitionerEntry(string Name, string Summary, Func<RunConfig, IPartitioner> Create) : IRegistryEntry
{
    public IReadOnlyList<Setting> Settings { get; init; } = [];

    PathUse IRegistryEntry.Path => PathUse.None;
}
