namespace FedLayers.Setup;

/// <summary>What every <see cref="Registry{TEntry}"/> answers, whatever its entries build: the view the
/// option help, the option reference and the unused-setting check take of all registries at once.</summary>
public interface IRegistry
{
    /// <summary>What an entry is, for messages: "strategy", "model", ...</summary>
    string Kind { get; }

    /// <summary>The registry's heading in the option reference: "Strategies", "Models", ...</summary>
    string Title { get; }

    /// <summary>The setting whose value names an entry of this registry.</summary>
    Setting<string> SelectedBy { get; }

    /// <summary>The entries, in the order they were added.</summary>
    IEnumerable<IRegistryEntry> Entries { get; }

    /// <summary>The names as users write them: <c>NAME</c>, <c>NAME:PATH</c> or <c>NAME[:PATH]</c>.</summary>
    IEnumerable<string> Spellings { get; }

    /// <summary>The entry <paramref name="spec"/> names (<c>NAME</c> or <c>NAME:PATH</c>).</summary>
    /// <exception cref="UserInputException">no entry has that name; the message lists the registered names.</exception>
    IRegistryEntry Find(string spec);
}
