namespace FedLayers.Selection;

/// <summary>Base of the strategies that fill every budget from one fixed layer order.</summary>
public abstract class FixedOrderSelector : ILayerSelector
{
    public abstract string Name { get; }
    public bool NeedsProbe => false;

    /// <summary>The preference order over layers 0..layerCount-1 (0 = nearest the input).</summary>
    protected abstract IEnumerable<int> Order(int layerCount);

    public IReadOnlyList<bool[]> Select(SelectionContext context)
    {
        var order = Order(context.LayerCount).ToList();
        return context.Budgets.Select(b => BudgetFill.TakeInOrder(order, context.LayerCosts, b)).ToList();
    }
}
