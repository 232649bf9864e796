using FedLayers.Aggregation;
using FedLayers.Selection.Solver;

namespace FedLayers.Selection;

/// <summary>
/// Strategic selection (PAPER.md, "The proposed strategy"): from each client's squared gradient
/// norms g_il, choose all masks at once to maximise the gradient mass trained minus lambda times
/// the disagreement between clients, within the budgets. Lambda is made scale-free by
/// <see cref="LambdaNormalization"/> and the problem is solved by <see cref="LayerSelectionSolver"/>,
/// which proves how far its masks can be from optimal. Its work limits are counts, so a round's
/// masks are the same on every machine; when the wall-clock limit (a safety net) stops it before
/// it proves optimality, the best masks found are still used and the callback reports the gap.
/// Two options change the paper's objective (docs/SELECTION.md): clients' rewards weighted by their
/// data, and the budget the solver leaves unused filled with each client's own best remaining layers.
/// </summary>
public sealed class StrategicSelector : ILayerSelector
{
    private readonly double _lambda;
    private readonly LayerSelectionSolver _solver;
    private readonly Action<SelectionSolution>? _onSolved;
    private readonly ProbeEstimator _estimator;
    private readonly ClientWeighting? _sampleWeighting;
    private readonly bool _fillBudget;

    /// <param name="lambda">weight of the disagreement penalty, &gt;= 0, in the unit described by
    /// <see cref="LambdaNormalization"/>; 0 gives every client its own top layers by g.</param>
    /// <param name="timeLimitSeconds">wall-clock safety net of one solve.</param>
    /// <param name="onSolved">called after every solve, e.g. to log the status and gap; it receives the solver's own
    /// solution, before any <paramref name="fillBudget"/>.</param>
    /// <param name="estimator">how g is made from each client's probe.</param>
    /// <param name="sampleWeighting">when given, the reward is sum_i w_i sum_l m_il g_il with w_i = K times client i's share
    /// under this weighting of <see cref="SelectionContext.SampleCounts"/> (n_i / mean n when no share is capped); null: every
    /// client weighs 1, the paper's objective.</param>
    /// <param name="fillBudget">after the solve, each client also takes its unselected layers in descending g order while they
    /// still fit its budget (the paper's reference code does this); false: the solver's masks, the exact answer to the problem.</param>
    public StrategicSelector(double lambda, double timeLimitSeconds = 30, Action<SelectionSolution>? onSolved = null,
        ProbeEstimator estimator = ProbeEstimator.Mean, ClientWeighting? sampleWeighting = null, bool fillBudget = false)
    {
        SelectionProblem.RequireValidLambda(lambda);
        _lambda = lambda;
        _solver = new LayerSelectionSolver(timeLimitSeconds);
        _onSolved = onSolved;
        _estimator = estimator;
        _sampleWeighting = sampleWeighting;
        _fillBudget = fillBudget;
    }

    /// <inheritdoc/>
    public string Name => "strategic";

    /// <summary>True: the objective reads each client's squared gradient norms.</summary>
    public bool NeedsProbe => true;

    /// <summary>Solves the round's problem over the probed gradients and returns the solution's masks (topped up when filling
    /// the budget), all within the budgets.</summary>
    /// <exception cref="InvalidOperationException">The probe returned a different number of clients than were sampled, or a
    /// sample weighting was asked for without a sample count per sampled client.</exception>
    public IReadOnlyList<bool[]> Select(SelectionContext context)
    {
        var probes = context.Probe();
        if (probes.Count != context.ClientCount)
            throw new InvalidOperationException($"{probes.Count} probes for {context.ClientCount} sampled clients");
        var gradients = probes.Select(p => (IReadOnlyList<double>)p.GradientMass(_estimator)).ToList();
        var raw = new SelectionProblem(Weighted(gradients, context), context.Budgets, context.LayerCosts, _lambda);
        var solution = _solver.Solve(LambdaNormalization.Apply(raw));
        _onSolved?.Invoke(solution);
        if (!_fillBudget) return solution.Masks;
        // A weight scales all of a client's g alike, so its own order is the unweighted one.
        return [.. solution.Masks.Select((mask, i) =>
            BudgetFill.TopUp(mask, BudgetFill.ByDescendingScore(gradients[i]), context.LayerCosts, context.Budgets[i]))];
    }

    /// <summary>
    /// The gradients the solver sees: g_il, or w_i g_il under a sample weighting. Scaling a client's g is the whole change, so the
    /// weighted problem is a <see cref="SelectionProblem"/> like any other and the solver's bounds and proofs hold for it; the
    /// disagreement reads only the masks and lambda, so it is unchanged. <see cref="LambdaNormalization"/> then divides by
    /// G = (1/K) sum_i w_i sum_l g_il = sum_i s_i sum_l g_il, the data-weighted mean client mass: a factor common to all w_i
    /// cancels, and lambda keeps its unit, a layer's share of the (now data-weighted) mean client's gradient mass.
    /// </summary>
    private IReadOnlyList<IReadOnlyList<double>> Weighted(List<IReadOnlyList<double>> gradients, SelectionContext context)
    {
        if (_sampleWeighting is null) return gradients;
        if (context.SampleCounts.Count != context.ClientCount)
            throw new InvalidOperationException($"{context.SampleCounts.Count} sample counts for {context.ClientCount} sampled clients");
        // the aggregation's own rule, cap included, so a declared count weighs here what it weighs in the mean
        var shares = _sampleWeighting.Shares(context.SampleCounts);
        return [.. gradients.Select((row, i) => (IReadOnlyList<double>)row.Select(g => shares[i] * context.ClientCount * g).ToArray())];
    }
}
