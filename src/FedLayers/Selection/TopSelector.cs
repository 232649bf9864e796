namespace FedLayers.Selection;

/// <summary>Top: the layers nearest the output.</summary>
public sealed class TopSelector : FixedOrderSelector
{
    public override string Name => "top";
    protected override IEnumerable<int> Order(int layerCount) => Enumerable.Range(0, layerCount).Reverse();
}
