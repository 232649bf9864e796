namespace FedLayers.Selection;

/// <summary>Base of the strategies that fill every budget from one fixed layer order.</summary>
public abstract class FixedOrderSelector : ILayerSelector
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>False: the order does not depend on gradients.</summary>
    public bool NeedsProbe => false;

    /// <summary>The preference order over layers 0..layerCount-1 (0 = nearest the input).</summary>
    protected abstract IEnumerable<int> Order(int layerCount);

    /// <summary>Per client, the layers of <see cref="Order"/> that fit its budget (<see cref="BudgetFill.TakeInOrder"/>).</summary>
    public IReadOnlyList<bool[]> Select(SelectionContext context)
    {
        var order = Order(context.LayerCount).ToList();
        return context.Budgets.Select(b => BudgetFill.TakeInOrder(order, context.LayerCosts, b)).ToList();
    }
}
