namespace FedLayers.Selection;

/// <summary>Full: every client trains every layer, budgets ignored (the upper reference).</summary>
public sealed class FullSelector : ILayerSelector
{
    /// <inheritdoc/>
    public string Name => "full";

    /// <summary>False.</summary>
    public bool NeedsProbe => false;

    /// <summary>An all-true mask per client.</summary>
    public IReadOnlyList<bool[]> Select(SelectionContext context) =>
        context.ClientIds.Select(_ => Enumerable.Repeat(true, context.LayerCount).ToArray()).ToList();
}
