namespace FedLayers.Setup;

/// <summary>
/// The entries one option can name (the strategies <c>--strategy</c> can name, and so on), in the
/// order they were added. Open: a program adds entries of its own with <see cref="Add"/>.
/// </summary>
/// <typeparam name="TEntry">what an entry holds besides its name, summary and settings: how to build its object.</typeparam>
/// <param name="kind">what an entry is, for messages: "strategy", "model", ...</param>
/// <param name="title">the registry's heading in the option reference: "Strategies", "Models", ...</param>
/// <param name="selectedBy">the setting that names an entry.</param>
/// <param name="checkSettings">refuses an entry whose settings clash with those registered already.</param>
public sealed class Registry<TEntry>(string kind, string title, Setting<string> selectedBy, Action<IRegistryEntry> checkSettings) : IRegistry
    where TEntry : IRegistryEntry
{
    private readonly List<TEntry> entries = [];

    /// <inheritdoc/>
    public string Kind { get; } = kind;

    /// <inheritdoc/>
    public string Title { get; } = title;

    /// <inheritdoc/>
    public Setting<string> SelectedBy { get; } = selectedBy;

    /// <summary>The entries, in the order they were added.</summary>
    public IReadOnlyList<TEntry> Entries => entries;

    IEnumerable<IRegistryEntry> IRegistry.Entries => entries.Cast<IRegistryEntry>();

    IRegistryEntry IRegistry.Find(string spec) => Find(spec).Entry;

    /// <inheritdoc/>
    public IEnumerable<string> Spellings => entries.Select(e => e.Path switch
    {
        PathUse.Required => $"{e.Name}:PATH",
        PathUse.Optional => $"{e.Name}[:PATH]",
        _ => e.Name,
    });

    /// <summary>Registers <paramref name="entry"/>; its name must be new (the settings are checked by <see cref="Registries"/>).</summary>
    public Registry<TEntry> Add(TEntry entry)
    {
        if (string.IsNullOrWhiteSpace(entry.Name) || entry.Name.Contains(':'))
            throw new ArgumentException($"a {Kind} name is a word without ':', got '{entry.Name}'", nameof(entry));
        if (entries.Any(e => e.Name == entry.Name))
            throw new ArgumentException($"a {Kind} named '{entry.Name}' is registered already", nameof(entry));
        checkSettings(entry);
        entries.Add(entry);
        return this;
    }

    /// <summary>The entry <paramref name="spec"/> names (<c>NAME</c> or <c>NAME:PATH</c>) and its path.</summary>
    /// <exception cref="UserInputException">no entry has that name, or the path is missing or not taken;
    /// the message lists the registered names.</exception>
    public (TEntry Entry, string? Path) Find(string spec)
    {
        var (name, path) = spec.IndexOf(':') is var colon and > 0 ? (spec[..colon], spec[(colon + 1)..]) : (spec, null);
        var entry = entries.FirstOrDefault(e => e.Name == name);
        if (entry is null)
            throw new UserInputException($"{SelectedBy.Option}: unknown {Kind} '{spec}'; expected one of {string.Join(", ", Spellings)}");
        if (entry.Path == PathUse.Required && string.IsNullOrEmpty(path))
            throw new UserInputException($"{SelectedBy.Option} {spec}: expected {name}:PATH");
        if (entry.Path == PathUse.None && path is not null)
            throw new UserInputException($"{SelectedBy.Option} {spec}: {Kind} {name} takes no path");
        return (entry, path);
    }

    /// <summary>Whether <paramref name="spec"/> names a registered entry.</summary>
    public bool Contains(string spec) => entries.Any(e => e.Name == (spec.IndexOf(':') is var colon and > 0 ? spec[..colon] : spec));
}
