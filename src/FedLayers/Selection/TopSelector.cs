namespace FedLayers.Selection;

/// <summary>Top: the layers nearest the output.</summary>
public sealed class TopSelector : FixedOrderSelector
{
    /// <inheritdoc/>
    public override string Name => "top";
    /// <inheritdoc/>
    protected override IEnumerable<int> Order(int layerCount) => Enumerable.Range(0, layerCount).Reverse();
}
