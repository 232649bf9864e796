namespace FedLayers.Selection.Solver;

/// <summary>
/// The masks a solver chose for a <see cref="SelectionProblem"/> and how good they are proven to be.
/// </summary>
/// <param name="Masks">one mask per client over the layers; always within the budgets.</param>
/// <param name="Objective">the problem's objective of <paramref name="Masks"/>, in double precision.</param>
/// <param name="Bound">a proven upper bound on the problem's optimum (so <c>Bound &gt;= Objective</c>).</param>
/// <param name="Gap">(Bound - Objective) / max(1, |Objective|): relative to the objective once it
/// exceeds 1, absolute below that. In a problem built by <see cref="LambdaNormalization"/>, 1 is one
/// client's average total gradient mass, so a small objective never inflates the gap.</param>
/// <param name="Status"><see cref="OptimalStatus"/> when the solver proved the masks optimal,
/// <see cref="FeasibleStatus"/> when it stopped at the time limit first.</param>
/// <param name="Seconds">wall-clock time of the solve, model building included.</param>
public sealed record SelectionSolution(bool[][] Masks, double Objective, double Bound, double Gap, string Status, double Seconds)
{
    public const string OptimalStatus = "optimal";
    public const string FeasibleStatus = "feasible";

    public bool IsOptimal => Status == OptimalStatus;
}
