namespace FedLayers.Setup;

/// <summary>Whether a registry name takes a path after a colon (<c>NAME:PATH</c>).</summary>
public enum PathUse
{
    /// <summary>The name alone.</summary>
    None,
    /// <summary><c>NAME</c>, or <c>NAME:PATH</c> where the data lives somewhere other than its default place.</summary>
    Optional,
    /// <summary>Always <c>NAME:PATH</c>.</summary>
    Required,
}

/// <summary>What every registry entry declares: its name, one line on what it is, whether it takes a path,
/// and the settings it reads (its own options, with their defaults and help).</summary>
public interface IRegistryEntry
{
    /// <summary>The name the registry's option takes: a word without ':', unique in its registry.</summary>
    string Name { get; }

    /// <summary>One line on what it is, for the help and the option reference.</summary>
    string Summary { get; }

    /// <summary>Whether the name takes a path after a colon.</summary>
    PathUse Path { get; }

    /// <summary>The settings the entry reads: they become options, and another entry may share one but not reuse its name.</summary>
    IReadOnlyList<Setting> Settings { get; }
}
