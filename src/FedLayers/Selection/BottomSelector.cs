namespace FedLayers.Selection;

/// <summary>Bottom: the layers nearest the input.</summary>
public sealed class BottomSelector : FixedOrderSelector
{
    public override string Name => "bottom";
    protected override IEnumerable<int> Order(int layerCount) => Enumerable.Range(0, layerCount);
}
