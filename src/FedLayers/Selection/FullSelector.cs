namespace FedLayers.Selection;

/// <summary>Full: every client trains every layer, budgets ignored (the upper reference).</summary>
public sealed class FullSelector : ILayerSelector
{
    public string Name => "full";
    public bool NeedsProbe => false;

    public IReadOnlyList<bool[]> Select(SelectionContext context) =>
        context.ClientIds.Select(_ => Enumerable.Repeat(true, context.LayerCount).ToArray()).ToList();
}
