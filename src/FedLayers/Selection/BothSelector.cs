namespace FedLayers.Selection;

/// <summary>Both: alternately from the bottom and the top (1st, last, 2nd, 2nd-last, ...).</summary>
public sealed class BothSelector : FixedOrderSelector
{
    /// <inheritdoc/>
    public override string Name => "both";

    /// <inheritdoc/>
    protected override IEnumerable<int> Order(int layerCount)
    {
        for (int low = 0, high = layerCount - 1; low <= high; low++, high--)
        {
            yield return low;
            if (high != low) yield return high;
        }
    }
}
