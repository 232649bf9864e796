using System.Diagnostics;

namespace FedLayers.Selection.Solver;

/// <summary>
/// Solves a <see cref="SelectionProblem"/> with a certified gap by exploiting its structure:
/// the disagreement depends on the per-layer counts only.
/// <list type="number">
/// <item><see cref="SelectionHeuristic"/>: best response (exact per-client knapsacks) plus moves
/// that put a layer on, or take it off, many clients at once, from several starts.</item>
/// <item><see cref="LagrangianBound"/>: budgets priced out, one sorting problem per layer,
/// prices tuned by subgradient descent; any prices give a proven bound. If a gap remains, the
/// heuristic climbs once more from the clients the dual puts on each layer. With unequal layer
/// costs a remaining gap is narrowed by <see cref="LagrangianDecompositionBound"/>, which keeps
/// each client's knapsack whole.</item>
/// <item>If a gap remains and the model is small, <see cref="CpSatSelectionSolver"/>
/// warm-started from the heuristic's masks, for a fixed amount of deterministic work; its masks
/// are kept if better and its bound if lower. This closes the gaps the dual leaves on small
/// instances, e.g. where a fractional knapsack is worth more than the whole-layer one.</item>
/// </list>
/// <para>
/// Determinism: every phase is limited by a count (sweeps, subgradient steps, CP-SAT's
/// deterministic time), so the same problem gives the same masks on every machine. The
/// wall-clock limit is only a safety net; a solve it cuts short depends on the machine's speed.
/// </para>
/// </summary>
public sealed class LayerSelectionSolver
{
    /// <summary>Clients x layers x subgradient steps of the dual bound by default: 833 steps and
    /// about 2 s on one core at 1000 x 48; the steps stop early once the gap is closed.</summary>
    public const double DefaultDualWork = 4e7;

    /// <summary>The most subgradient steps by default: enough to bring the dual within 1e-9 of the
    /// optimum on the 20 x 12 and 100 x 24 benchmark instances, where a step is cheap.</summary>
    public const int MostDualIterations = 3000;

    /// <summary>CP-SAT's deterministic time when a gap remains after the dual bound.</summary>
    public const double DefaultCpSatWork = 1.0;

    /// <summary>Above this many clients x layers CP-SAT rarely closes, within its work limit, a
    /// gap the dual leaves (measured at 100 x 24: seconds spent, gap unchanged).</summary>
    public const int LargestCpSatModel = 500;

    private readonly double _timeLimitSeconds;
    private readonly int? _dualIterations;
    private readonly double _cpSatWork;
    private readonly bool _decomposeUnequalCosts;

    /// <param name="timeLimitSeconds">wall-clock safety net of one solve; when it cuts a solve short,
    /// the best masks so far are returned with the bound proven so far.</param>
    /// <param name="dualIterations">subgradient steps of the dual bound; default
    /// <see cref="DefaultDualWork"/> / (K L), at most <see cref="MostDualIterations"/>.</param>
    /// <param name="cpSatWork">CP-SAT's deterministic time; 0 skips CP-SAT.</param>
    /// <param name="decomposeUnequalCosts">whether a gap left with unequal layer costs is narrowed by
    /// <see cref="LagrangianDecompositionBound"/>; false keeps only the budget relaxation (to compare the two).</param>
    public LayerSelectionSolver(double timeLimitSeconds = 30, int? dualIterations = null, double cpSatWork = DefaultCpSatWork,
        bool decomposeUnequalCosts = true)
    {
        if (!double.IsFinite(timeLimitSeconds) || timeLimitSeconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(timeLimitSeconds), timeLimitSeconds, "must be finite and > 0");
        if (dualIterations is < 0) throw new ArgumentOutOfRangeException(nameof(dualIterations), dualIterations, "must be >= 0");
        if (!double.IsFinite(cpSatWork) || cpSatWork < 0)
            throw new ArgumentOutOfRangeException(nameof(cpSatWork), cpSatWork, "must be finite and >= 0");
        _timeLimitSeconds = timeLimitSeconds;
        _dualIterations = dualIterations;
        _cpSatWork = cpSatWork;
        _decomposeUnequalCosts = decomposeUnequalCosts;
    }

    /// <summary>The best masks found for <paramref name="problem"/>, certified against the lowest bound proven; the same problem gives the same solution unless the time limit cuts the solve short.</summary>
    public SelectionSolution Solve(SelectionProblem problem)
    {
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddSeconds(_timeLimitSeconds);

        var heuristic = new SelectionHeuristic(problem, deadline);
        var masks = heuristic.Run();
        double objective = problem.Objective(masks);
        var dual = new LagrangianBound(problem);
        int iterations = _dualIterations ?? (int)Math.Min(MostDualIterations, DefaultDualWork / ((double)problem.ClientCount * problem.LayerCount));
        var (bound, prices) = dual.Minimize(StartPrices(problem, masks), objective, iterations, SelectionSolution.OptimalGap, deadline);

        if (SelectionSolution.RelativeGap(bound, objective) > SelectionSolution.OptimalGap && DateTime.UtcNow < deadline)
        {
            // The dual's choice of clients per layer, made to fit, is a start the heuristic's own
            // starts may not reach; a better objective also gives the dual a better target.
            var guided = heuristic.ImproveFrom(dual.LayerChoices(prices));
            if (problem.Objective(guided) > objective)
            {
                masks = guided;
                objective = problem.Objective(masks);
                bound = Math.Min(bound, dual.Minimize(prices, objective, iterations / 2, SelectionSolution.OptimalGap, deadline).Bound);
            }
        }

        if (SelectionSolution.RelativeGap(bound, objective) > SelectionSolution.OptimalGap && _decomposeUnequalCosts
            && problem.Costs.Any(c => c != problem.Costs[0]) && DateTime.UtcNow < deadline)
        {
            // Unequal costs: the budget relaxation may spend a budget on fractions of layers; the
            // decomposition keeps each knapsack whole, starting from the relaxation's best prices.
            var decomposition = new LagrangianDecompositionBound(problem);
            bound = Math.Min(bound, decomposition.Minimize(decomposition.PricesFrom(prices), objective, iterations, SelectionSolution.OptimalGap, deadline).Bound);
        }

        double remaining = (deadline - DateTime.UtcNow).TotalSeconds;
        if (SelectionSolution.RelativeGap(bound, objective) > SelectionSolution.OptimalGap && _cpSatWork > 0 && remaining > 0
            && problem.ClientCount * problem.LayerCount <= LargestCpSatModel)
        {
            // Budgets rounded outwards keep CP-SAT's bound valid for fractional costs; its masks are
            // then taken only if they really fit.
            var (exactMasks, exactBound) = new CpSatSelectionSolver(remaining).Search(problem, masks, _cpSatWork, roundBudgetsOutward: true);
            if (exactMasks is not null && problem.IsFeasible(exactMasks) && problem.Objective(exactMasks) > objective)
            {
                masks = exactMasks;
                objective = problem.Objective(masks);
            }
            bound = Math.Min(bound, exactBound);
        }
        return SelectionSolution.Certify(problem, masks, bound, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Dual prices read off the heuristic's masks: client i's price is the best weight per
    /// cost among the layers it left out, its weights being the exact marginal gains
    /// g_il + lambda (2 n_l^{-i} + 1 - K), i.e. what one more unit of its budget would be worth.
    /// Raised by one part in 1e12 so that a layer priced exactly to zero falls below the bound's
    /// rounding margin instead of adding it.</summary>
    private static double[] StartPrices(SelectionProblem problem, bool[][] masks)
    {
        int clients = problem.ClientCount, layers = problem.LayerCount;
        var counts = new int[layers];
        foreach (var mask in masks)
            for (int l = 0; l < layers; l++)
                if (mask[l]) counts[l]++;
        var prices = new double[clients];
        for (int i = 0; i < clients; i++)
            for (int l = 0; l < layers; l++)
            {
                if (masks[i][l]) continue;
                double gain = problem.Gradient(i, l) + problem.Lambda * (2.0 * counts[l] + 1 - clients);
                prices[i] = Math.Max(prices[i], gain / problem.Costs[l] * (1 + 1e-12));
            }
        return prices;
    }
}
