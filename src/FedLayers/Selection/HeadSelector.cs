namespace FedLayers.Selection;

/// <summary>
/// Head: no client trains any selectable layer, only the common groups (the classification head, final norms). It is the
/// linear-probe floor of a comparison: a budgeted strategy within a point of it has not been shown to gain anything from
/// the layers it trains, so such a setting cannot rank strategies.
/// </summary>
public sealed class HeadSelector : ILayerSelector
{
    /// <inheritdoc/>
    public string Name => "head";

    /// <summary>False.</summary>
    public bool NeedsProbe => false;

    /// <summary>An all-false mask per client.</summary>
    public IReadOnlyList<bool[]> Select(SelectionContext context) =>
        context.ClientIds.Select(_ => new bool[context.LayerCount]).ToList();
}
