namespace FedLayers.Selection;

/// <summary>
/// Masks for a round between two selection rounds (a strategy re-selects every few rounds): a client keeps the
/// mask it was last given; a client that was not in the last selection takes the layers the
/// last selection used, most used first, as far as its budget allows. No probe is needed.
/// </summary>
public static class MaskReuse
{
    /// <summary>One mask per client of <paramref name="context"/>, in its order, each within the client's budget.</summary>
    /// <param name="context">The round's clients, budgets and costs; its probe is not called.</param>
    /// <param name="lastSelection">the masks chosen at the last selection round.</param>
    public static IReadOnlyList<bool[]> Reuse(SelectionContext context, IReadOnlyList<bool[]> lastSelection)
    {
        var usage = new double[context.LayerCount];
        foreach (var mask in lastSelection)
            for (int l = 0; l < mask.Length; l++)
                if (mask[l]) usage[l]++;
        var popular = BudgetFill.ByDescendingScore(usage).Where(l => usage[l] > 0).ToList();
        return Enumerable.Range(0, context.ClientCount).Select(i =>
                context.PreviousMasks.TryGetValue(context.ClientIds[i], out var previous)
                && BudgetFill.Fits(previous, context.LayerCosts, context.Budgets[i])
                    ? previous
                    : BudgetFill.TakeInOrder(popular, context.LayerCosts, context.Budgets[i]))
            .ToList();
    }
}
