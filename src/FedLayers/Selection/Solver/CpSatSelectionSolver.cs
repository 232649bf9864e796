using System.Diagnostics;
using System.Globalization;
using Google.OrTools.Sat;

namespace FedLayers.Selection.Solver;

/// <summary>
/// Solves a <see cref="SelectionProblem"/> exactly with the CP-SAT solver of Google OR-Tools.
/// <para>
/// Model: a boolean m_il per client and layer, and per layer a one-hot count y_lk (k = 0..K,
/// sum_k y_lk = 1, sum_k k y_lk = sum_i m_il), so the disagreement n_l (K - n_l) becomes the
/// linear term sum_k k (K - k) y_lk.
/// </para>
/// <para>
/// Precision: CP-SAT needs integer objective coefficients, so every coefficient (g_il and
/// lambda k (K - k)) is multiplied by one scale that maps the largest magnitude to
/// <see cref="ObjectiveResolution"/> (1e12, fine enough that the margin below stays under the
/// 1e-9 gap of <see cref="SelectionSolution.OptimalGap"/>) and rounded. Each rounded coefficient is
/// off by at most 0.5 / scale, and at most K L + L terms are nonzero at once (one m per client and
/// layer, one y per layer), so the reported <see cref="SelectionSolution.Bound"/> adds exactly that
/// margin to the solver's proven bound and is a valid upper bound of the double objective. The
/// objective, gap and status come from <see cref="SelectionSolution.Certify"/>.
/// </para>
/// <para>
/// Budgets: when every cost is a whole number, costs are used as they are and budgets are floored
/// (after the same 1e-9 slack as <see cref="SelectionProblem.IsFeasible"/>), which is exact.
/// Otherwise costs are scaled so the largest maps to <see cref="FractionalCostResolution"/>, costs
/// are rounded up and budgets down, so no returned mask exceeds its real budget; a mask that fills
/// its budget to within about one part in 1e9 of the largest cost may then be excluded, and the
/// bound refers to the budgets so rounded. (<see cref="LayerSelectionSolver"/> rounds the other way
/// when it needs a bound of the real budgets.)
/// </para>
/// <para>
/// Determinism (the default): with a fixed random seed, one search worker returns the same masks
/// for the same problem. Several workers stay deterministic through CP-SAT's interleaved search,
/// which runs its subsolvers in fixed batches; at 20 clients x 12 layers on 2 cores that was 5 to
/// 10 times slower than one worker, hence one worker unless more are asked for. Without
/// determinism the workers run CP-SAT's parallel portfolio, which may return a different one of
/// several optimal selections from run to run. In every mode a search cut by the time limit
/// returns the best masks found so far, which depend on the speed of the machine.
/// </para>
/// </summary>
public sealed class CpSatSelectionSolver
{
    /// <summary>The integer the largest objective coefficient is scaled to; the sum of all
    /// coefficients stays far below 2^63 up to 1000 x 48 (about 1e17).</summary>
    public const double ObjectiveResolution = 1e12;

    /// <summary>The integer the largest cost is scaled to when costs are not whole numbers.</summary>
    public const double FractionalCostResolution = 1e9;

    /// <summary>2^53: whole costs up to this total add up exactly in double and fit in long.</summary>
    private const double LargestExactInteger = 9007199254740992;

    /// <summary>Above the float noise of a scaled cost (about 1e-7 at 1e9) and far below one unit.</summary>
    private const double SnapSlack = 1e-6;

    private readonly double _timeLimitSeconds;
    private readonly int _workers;
    private readonly int _randomSeed;
    private readonly bool _deterministic;

    /// <param name="timeLimitSeconds">wall-clock limit of one solve; at the limit the best masks
    /// found so far are returned with status "feasible".</param>
    /// <param name="workers">CP-SAT search threads; default 1 when <paramref name="deterministic"/>,
    /// otherwise <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="randomSeed">CP-SAT's random seed.</param>
    /// <param name="deterministic">whether the same problem must always give the same masks.</param>
    public CpSatSelectionSolver(double timeLimitSeconds = 30, int? workers = null, int randomSeed = 42, bool deterministic = true)
    {
        if (!double.IsFinite(timeLimitSeconds) || timeLimitSeconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(timeLimitSeconds), timeLimitSeconds, "must be finite and > 0");
        _workers = workers ?? (deterministic ? 1 : Environment.ProcessorCount);
        if (_workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be >= 1");
        _timeLimitSeconds = timeLimitSeconds;
        _randomSeed = randomSeed;
        _deterministic = deterministic;
    }

    /// <exception cref="InvalidOperationException">CP-SAT found no solution within the time limit
    /// (at 1000 clients x 48 layers its presolve alone can take longer than 10 s), or returned
    /// masks that break a budget.</exception>
    public SelectionSolution Solve(SelectionProblem problem)
    {
        var clock = Stopwatch.StartNew();
        var (masks, bound) = Search(problem, EachClientsTopLayers(problem), maxDeterministicTime: null, roundBudgetsOutward: false);
        if (masks is null)
            throw new InvalidOperationException(
                $"CP-SAT found no layer selection for {problem.ClientCount} clients and {problem.LayerCount} layers within {_timeLimitSeconds} s.");
        return SelectionSolution.Certify(problem, masks, bound, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One CP-SAT search from <paramref name="hint"/>, also stopped after
    /// <paramref name="maxDeterministicTime"/> units of CP-SAT's deterministic time (a work count
    /// that does not depend on the speed of the machine). With whole costs the budgets are exact.
    /// Otherwise <paramref name="roundBudgetsOutward"/> chooses between budgets rounded inwards
    /// (every returned mask fits; the bound may miss selections that fill a budget to within one
    /// part in 1e9) and outwards (the bound is valid for the real budgets; a returned mask may
    /// exceed its budget by as little, so the caller must check it). No masks (and an infinite
    /// bound) when a limit stopped CP-SAT before it found any solution.
    /// </summary>
    internal (bool[][]? Masks, double Bound) Search(SelectionProblem problem, bool[][] hint, double? maxDeterministicTime, bool roundBudgetsOutward)
    {
        int clients = problem.ClientCount, layers = problem.LayerCount;
        var model = new CpModel();

        var take = new BoolVar[clients][];
        for (int i = 0; i < clients; i++)
        {
            take[i] = new BoolVar[layers];
            for (int l = 0; l < layers; l++) take[i][l] = model.NewBoolVar($"m_{i}_{l}");
        }

        var (costs, budgets) = IntegerBudgets(problem, roundBudgetsOutward);
        for (int i = 0; i < clients; i++)
            model.Add(LinearExpr.WeightedSum(take[i], costs) <= budgets[i]);

        var countIs = new BoolVar[layers][];
        var counts = Enumerable.Range(0, clients + 1).Select(k => (long)k).ToArray();
        for (int l = 0; l < layers; l++)
        {
            countIs[l] = new BoolVar[clients + 1];
            for (int k = 0; k <= clients; k++) countIs[l][k] = model.NewBoolVar($"y_{l}_{k}");
            model.AddExactlyOne(countIs[l]);
            model.Add(LinearExpr.WeightedSum(countIs[l], counts) == LinearExpr.Sum(take.Select(row => row[l])));
        }

        double largest = LargestCoefficient(problem);
        double scale = largest == 0 ? 1 : ObjectiveResolution / largest;
        var objective = LinearExpr.NewBuilder();
        for (int i = 0; i < clients; i++)
            for (int l = 0; l < layers; l++)
                objective.AddTerm(take[i][l], (long)Math.Round(problem.Gradient(i, l) * scale));
        for (int k = 0; k <= clients; k++)
        {
            long penalty = (long)Math.Round(Disagreement(problem, k) * scale);
            for (int l = 0; l < layers; l++) objective.AddTerm(countIs[l][k], -penalty);
        }
        model.Maximize(objective);

        AddHint(problem, model, take, countIs, hint);

        var solver = new CpSolver { StringParameters = Parameters(maxDeterministicTime) };
        var status = solver.Solve(model);
        if (status != CpSolverStatus.Optimal && status != CpSolverStatus.Feasible) return (null, double.PositiveInfinity);

        var masks = take.Select(row => row.Select(m => solver.BooleanValue(m)).ToArray()).ToArray();
        double roundingMargin = largest == 0 ? 0 : (clients * layers + layers) * 0.5 / scale;
        return (masks, solver.BestObjectiveBound / scale + roundingMargin);
    }

    private string Parameters(double? maxDeterministicTime)
    {
        var common = string.Create(CultureInfo.InvariantCulture,
            $"max_time_in_seconds:{_timeLimitSeconds:R} num_workers:{_workers} random_seed:{_randomSeed}");
        if (maxDeterministicTime is double work)
            common += string.Create(CultureInfo.InvariantCulture, $" max_deterministic_time:{work:R}");
        if (_workers == 1)
            // One worker runs one search with one LP level: the strongest, max_lp, solved 20 x 12
            // instances about twice as fast as the default level.
            return common + " linearization_level:2";
        return _deterministic ? common + " interleave_search:true" : common;
    }

    /// <summary>lambda k (K - k): the penalty of a layer taken by k clients.</summary>
    private static double Disagreement(SelectionProblem problem, int count) =>
        problem.Lambda * count * (double)(problem.ClientCount - count);

    private static double LargestCoefficient(SelectionProblem problem)
    {
        double largestGradient = Enumerable.Range(0, problem.ClientCount).Max(i => problem.GradientsOf(i).Max());
        double largestPenalty = Disagreement(problem, problem.ClientCount / 2);
        return Math.Max(largestGradient, largestPenalty);
    }

    private static (long[] Costs, long[] Budgets) IntegerBudgets(SelectionProblem problem, bool outward)
    {
        long[] costs;
        IEnumerable<double> budgets;
        if (WholeCosts(problem))
        {
            // Whole costs give whole sums, and such a sum is <= R + tolerance exactly when it is <= floor(R + tolerance).
            costs = problem.Costs.Select(c => (long)c).ToArray();
            budgets = problem.Budgets.Select(r => Math.Floor(r + SelectionProblem.BudgetTolerance));
        }
        else if (!outward)
        {
            // Costs up and budgets down (with half the tolerance), each snapped by SnapSlack so float
            // noise cannot push a value to the next integer; what the snaps can add stays far below
            // the other half of the tolerance.
            double unit = FractionalCostResolution / problem.Costs.Max();
            costs = problem.Costs.Select(c => (long)Math.Ceiling(c * unit - SnapSlack)).ToArray();
            budgets = problem.Budgets.Select(r => Math.Floor((r + SelectionProblem.BudgetTolerance / 2) * unit + SnapSlack));
        }
        else
        {
            // Costs down and budgets up (with the whole tolerance); each cost's snap can add at most
            // SnapSlack, so the budget takes one per layer.
            double unit = FractionalCostResolution / problem.Costs.Max();
            double snaps = SnapSlack * (problem.LayerCount + 1);
            costs = problem.Costs.Select(c => (long)Math.Floor(c * unit + SnapSlack)).ToArray();
            budgets = problem.Budgets.Select(r => Math.Ceiling((r + SelectionProblem.BudgetTolerance) * unit + snaps));
        }
        // A budget above the total cost binds nothing; capping it keeps it inside long.
        double total = costs.Sum(c => (double)c);
        return (costs, budgets.Select(b => (long)Math.Min(total, b)).ToArray());
    }

    private static bool WholeCosts(SelectionProblem problem) =>
        problem.Costs.All(c => c == Math.Floor(c)) && problem.Costs.Sum() <= LargestExactInteger;

    /// <summary>Each client's own top layers by g: the lambda = 0 answer.</summary>
    private static bool[][] EachClientsTopLayers(SelectionProblem problem) =>
        Enumerable.Range(0, problem.ClientCount)
            .Select(i => BudgetFill.TakeInOrder(BudgetFill.ByDescendingScore(problem.GradientsOf(i)), problem.Costs, problem.Budgets[i]))
            .ToArray();

    private static void AddHint(SelectionProblem problem, CpModel model, BoolVar[][] take, BoolVar[][] countIs, bool[][] hint)
    {
        var taken = new int[problem.LayerCount];
        for (int i = 0; i < problem.ClientCount; i++)
        {
            for (int l = 0; l < problem.LayerCount; l++)
            {
                model.AddHint(take[i][l], hint[i][l]);
                if (hint[i][l]) taken[l]++;
            }
        }
        for (int l = 0; l < problem.LayerCount; l++)
            for (int k = 0; k <= problem.ClientCount; k++)
                model.AddHint(countIs[l][k], taken[l] == k);
    }
}
