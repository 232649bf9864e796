using FedLayers.Selection;

namespace FedLayers.Setup;

/// <summary>A layer selection strategy <c>--strategy</c> can name, and how to build it.</summary>
/// <param name="Name">the name <c>--strategy</c> takes.</param>
/// <param name="Summary">one line on what it is, for the help and the option reference.</param>
/// <param name="Create">builds the selector from the run's configuration; it reads its own <see cref="Settings"/>
/// and refuses bad values with an <see cref="ArgumentException"/> that names the parameter.</param>
public sealed record StrategyEntry(string Name, string Summary, Func<StrategyArguments, ILayerSelector> Create) : IRegistryEntry
{
    /// <inheritdoc/>
    public IReadOnlyList<Setting> Settings { get; init; } = [];

    PathUse IRegistryEntry.Path => PathUse.None;
}

/// <summary>What a strategy is built from.</summary>
/// <param name="Config">the run's configuration, for the strategy's own settings.</param>
/// <param name="Warn">tells the user something worth knowing that does not stop the run.</param>
public sealed record StrategyArguments(RunConfig Config, Action<string> Warn);
