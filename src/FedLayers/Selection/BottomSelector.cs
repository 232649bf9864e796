namespace FedLayers.Selection;

/// <summary>Bottom: the layers nearest the input.</summary>
public sealed class BottomSelector : FixedOrderSelector
{
    /// <inheritdoc/>
    public override string Name => "bottom";
    /// <inheritdoc/>
    protected override IEnumerable<int> Order(int layerCount) => Enumerable.Range(0, layerCount);
}
