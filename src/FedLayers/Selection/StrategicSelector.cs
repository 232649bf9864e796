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
/// </summary>
public sealed class StrategicSelector : ILayerSelector
{
    private readonly double _lambda;
    private readonly LayerSelectionSolver _solver;
    private readonly Action<SelectionSolution>? _onSolved;
    private readonly ProbeEstimator _estimator;

    /// <param name="lambda">weight of the disagreement penalty, &gt;= 0, in the unit described by
    /// <see cref="LambdaNormalization"/>; 0 gives every client its own top layers by g.</param>
    /// <param name="timeLimitSeconds">wall-clock safety net of one solve.</param>
    /// <param name="onSolved">called after every solve, e.g. to log the status and gap.</param>
    /// <param name="estimator">how g is made from each client's probe.</param>
    public StrategicSelector(double lambda, double timeLimitSeconds = 30, Action<SelectionSolution>? onSolved = null,
        ProbeEstimator estimator = ProbeEstimator.BatchSum)
    {
        SelectionProblem.RequireValidLambda(lambda);
        _lambda = lambda;
        _solver = new LayerSelectionSolver(timeLimitSeconds);
        _onSolved = onSolved;
        _estimator = estimator;
    }

    /// <inheritdoc/>
    public string Name => "strategic";

    /// <summary>True: the objective reads each client's squared gradient norms.</summary>
    public bool NeedsProbe => true;

    /// <summary>Solves the round's problem over the probed gradients and returns the solution's masks, all within the budgets.</summary>
    /// <exception cref="InvalidOperationException">The probe returned a different number of clients than were sampled.</exception>
    public IReadOnlyList<bool[]> Select(SelectionContext context)
    {
        var probes = context.Probe();
        if (probes.Count != context.ClientCount)
            throw new InvalidOperationException($"{probes.Count} probes for {context.ClientCount} sampled clients");
        var gradients = probes.Select(p => (IReadOnlyList<double>)p.GradientMass(_estimator)).ToList();
        var raw = new SelectionProblem(gradients, context.Budgets, context.LayerCosts, _lambda);
        var solution = _solver.Solve(LambdaNormalization.Apply(raw));
        _onSolved?.Invoke(solution);
        return solution.Masks;
    }
}
