namespace FedLayers.Selection;

/// <summary>Base of the strategies that rank each client's layers by a score from its own probe.</summary>
public abstract class ProbeScoreSelector : ILayerSelector
{
    public abstract string Name { get; }
    public bool NeedsProbe => true;

    protected abstract double[] Scores(LayerProbe probe);

    public IReadOnlyList<bool[]> Select(SelectionContext context)
    {
        var probes = context.Probe();
        return Enumerable.Range(0, context.ClientCount)
            .Select(i => BudgetFill.TakeInOrder(BudgetFill.ByDescendingScore(Scores(probes[i])), context.LayerCosts, context.Budgets[i]))
            .ToList();
    }
}
