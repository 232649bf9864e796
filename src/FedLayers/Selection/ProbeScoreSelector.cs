namespace FedLayers.Selection;

/// <summary>Base of the strategies that rank each client's layers by a score from its own probe.</summary>
public abstract class ProbeScoreSelector : ILayerSelector
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>True: the scores come from the probe.</summary>
    public bool NeedsProbe => true;

    /// <summary>One score per selectable layer from one client's probe; higher is preferred.</summary>
    protected abstract double[] Scores(LayerProbe probe);

    /// <summary>Per client, its layers by descending score (ties: nearer the output), taken while they fit its budget.</summary>
    public IReadOnlyList<bool[]> Select(SelectionContext context)
    {
        var probes = context.Probe();
        return Enumerable.Range(0, context.ClientCount)
            .Select(i => BudgetFill.TakeInOrder(BudgetFill.ByDescendingScore(Scores(probes[i])), context.LayerCosts, context.Budgets[i]))
            .ToList();
    }
}
