namespace FedLayers.Setup;

/// <summary>
/// An entry of a registry whose objects are built from the run's configuration alone: an optimiser
/// <c>--optimizer</c> can name, a loss <c>--loss</c> can name, a schedule <c>--lr-schedule</c> can name.
/// </summary>
/// <typeparam name="T">what the entry builds.</typeparam>
/// <param name="Name">the name the option takes.</param>
/// <param name="Summary">one line on what it is, for the help and the option reference.</param>
/// <param name="Create">builds the object from the run's configuration; it reads its own <see cref="Settings"/> and
/// refuses bad values with an <see cref="ArgumentException"/> that names the parameter.</param>
public sealed record ChoiceEntry<T>(string Name, string Summary, Func<RunConfig, T> Create) : IRegistryEntry
{
    /// <inheritdoc/>
    public IReadOnlyList<Setting> Settings { get; init; } = [];

    PathUse IRegistryEntry.Path => PathUse.None;
}
