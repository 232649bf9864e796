namespace FedLayers.Selection;

/// <summary>
/// A layer selection strategy: one mask per sampled client over the selectable layers.
/// Masks must respect the client budgets (except <c>full</c>, which ignores them by
/// definition). Common groups are added by the trainer, fixed groups never.
/// </summary>
public interface ILayerSelector
{
    /// <summary>The name used on the command line.</summary>
    string Name { get; }

    /// <summary>Whether <see cref="Select"/> reads <see cref="SelectionContext.Probe"/>.</summary>
    bool NeedsProbe { get; }

    /// <summary>Chooses the masks of a selection round; between selection rounds the server reuses masks (<see cref="MaskReuse"/>) instead.</summary>
    /// <returns>One mask per client of <see cref="SelectionContext.ClientIds"/>, in that order, each of <see cref="SelectionContext.LayerCount"/> entries (true = trained).</returns>
    IReadOnlyList<bool[]> Select(SelectionContext context);
}
