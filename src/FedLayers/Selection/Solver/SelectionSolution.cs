namespace FedLayers.Selection.Solver;

/// <summary>
/// The masks a solver chose for a <see cref="SelectionProblem"/> and how good they are proven to be.
/// Build it with <see cref="Certify"/>, which derives the objective, gap and status from the masks
/// and the bound, so every solver reports them the same way.
/// </summary>
/// <param name="Masks">one mask per client over the layers; always within the budgets.</param>
/// <param name="Objective">the problem's objective of <paramref name="Masks"/>, recomputed in double precision.</param>
/// <param name="Bound">a proven upper bound on the problem's optimum (so <c>Bound &gt;= Objective</c>).</param>
/// <param name="Gap">(Bound - Objective) / max(|Bound|, 1e-12): how far, relative to the bound, the
/// masks may be from optimal.</param>
/// <param name="Status"><see cref="OptimalStatus"/> when the gap is at most <see cref="OptimalGap"/>,
/// otherwise <see cref="FeasibleStatus"/> (the solver stopped at a limit before closing the gap).</param>
/// <param name="Seconds">wall-clock time of the solve, model building included.</param>
public sealed record SelectionSolution(bool[][] Masks, double Objective, double Bound, double Gap, string Status, double Seconds)
{
    /// <summary>The status of a solution whose gap is at most <see cref="OptimalGap"/>.</summary>
    public const string OptimalStatus = "optimal";

    /// <summary>The status of a solution within the budgets but not proven optimal.</summary>
    public const string FeasibleStatus = "feasible";

    /// <summary>The largest gap still reported as optimal: float noise, not a shortfall.</summary>
    public const double OptimalGap = 1e-9;

    /// <summary>Whether <see cref="Status"/> is <see cref="OptimalStatus"/>.</summary>
    public bool IsOptimal => Status == OptimalStatus;

    /// <summary>The relative gap of an objective under a bound, as defined for <see cref="Gap"/>.</summary>
    public static double RelativeGap(double bound, double objective) => (bound - objective) / Math.Max(Math.Abs(bound), 1e-12);

    /// <summary>A solution for <paramref name="masks"/> with the proven <paramref name="bound"/>.</summary>
    /// <exception cref="InvalidOperationException">a mask exceeds its budget.</exception>
    public static SelectionSolution Certify(SelectionProblem problem, bool[][] masks, double bound, double seconds)
    {
        if (!problem.IsFeasible(masks)) throw new InvalidOperationException("a solver returned masks that exceed a client's budget");
        double objective = problem.Objective(masks);
        double gap = RelativeGap(bound, objective);
        return new SelectionSolution(masks, objective, bound, gap, gap <= OptimalGap ? OptimalStatus : FeasibleStatus, seconds);
    }
}
