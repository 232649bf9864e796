namespace FedLayers.Selection.Solver;

/// <summary>
/// The dual side of <see cref="LayerSelectionSolver"/>: a proven upper bound on the optimum.
/// <para>
/// Relaxing the budgets with prices mu_i &gt;= 0 gives, for every mu,
/// <code>
/// U(mu) = sum_i mu_i R_i + sum_l max_n [ (sum of the n largest of g_il - mu_i c_l) - lambda n (K - n) ]
/// </code>
/// because for any feasible masks the objective is at most the objective plus
/// sum_i mu_i (R_i - sum_l c_l m_il), and that splits into one problem per layer whose value depends
/// only on which clients take the layer; for a given count n the best n clients are the n with the
/// largest reduced gradient. Each layer is solved exactly by sorting and scanning n = 0..K.
/// </para>
/// <para>
/// Every U(mu) is a valid bound; the best one is sought by projected subgradient descent
/// (dU/dmu_i = R_i - sum_l c_l m_il at the layers' maximisers) with Polyak steps towards the best
/// known objective and a step factor halved whenever the bound stalls. The iteration count is
/// fixed, so the bound depends only on the input.
/// </para>
/// <para>
/// Float care: budgets get <see cref="SelectionProblem.BudgetTolerance"/> added (the feasible set
/// of <see cref="SelectionProblem.IsFeasible"/>; see <see cref="EffectiveBudget"/>), and every sum in the bound gets a margin for its
/// rounding: (number of terms) x 2.3e-16 x the sum of their magnitudes. Each count n of a layer
/// gets its own margin, so a layer nobody should take adds exactly 0 and a problem whose optimum
/// is 0 can be proven optimal.
/// </para>
/// </summary>
internal sealed class LagrangianBound
{
    /// <summary>Subgradient steps without a better bound before the step factor is halved.</summary>
    private const int Patience = 10;

    /// <summary>Below this step factor the descent has converged as far as it will.</summary>
    private const double SmallestStepFactor = 1e-7;

    private readonly SelectionProblem _problem;
    private readonly int _clients, _layers;
    private readonly double[] _budgets;
    private readonly double[] _costs;
    private readonly double[][] _gradients;
    private readonly double[] _reduced;
    private readonly int[] _rank;
    private readonly double[] _sortKeys;
    private readonly double[] _usage;

    public LagrangianBound(SelectionProblem problem)
    {
        _problem = problem;
        _clients = problem.ClientCount;
        _layers = problem.LayerCount;
        _costs = problem.Costs.ToArray();
        _budgets = problem.Budgets.Select(EffectiveBudget).ToArray();
        _gradients = Enumerable.Range(0, _clients).Select(i => problem.GradientsOf(i).ToArray()).ToArray();
        _reduced = new double[_clients];
        _rank = new int[_clients];
        _sortKeys = new double[_clients];
        _usage = new double[_clients];
    }

    /// <summary>The smallest U(mu) found in <paramref name="iterations"/> subgradient steps from
    /// <paramref name="startPrices"/>, or earlier once it is within <paramref name="targetGap"/>
    /// of <paramref name="bestObjective"/> or past the deadline; with the prices that gave it.</summary>
    public (double Bound, double[] Prices) Minimize(double[] startPrices, double bestObjective, int iterations, double targetGap, DateTime deadline)
    {
        var prices = startPrices.ToArray();
        double best = Evaluate(prices);
        var bestPrices = prices.ToArray();
        double stepFactor = 1;
        int sinceImprovement = 0;
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            if (SelectionSolution.RelativeGap(best, bestObjective) <= targetGap || stepFactor < SmallestStepFactor || DateTime.UtcNow > deadline) break;
            double squaredNorm = 0;
            for (int i = 0; i < _clients; i++) squaredNorm += (_budgets[i] - _usage[i]) * (_budgets[i] - _usage[i]);
            if (squaredNorm == 0) break; // every budget used exactly: mu is optimal
            double current = LastValue;
            // Polyak: aim for the best known objective, which the optimum of U can only exceed.
            double step = stepFactor * Math.Max(current - bestObjective, 1e-9 * Math.Abs(current)) / squaredNorm;
            for (int i = 0; i < _clients; i++) prices[i] = Math.Max(0, prices[i] - step * (_budgets[i] - _usage[i]));
            double value = Evaluate(prices);
            if (value < best)
            {
                best = value;
                Array.Copy(prices, bestPrices, _clients);
                sinceImprovement = 0;
            }
            else if (++sinceImprovement >= Patience)
            {
                stepFactor /= 2;
                sinceImprovement = 0;
                Array.Copy(bestPrices, prices, _clients);
                Evaluate(prices);
            }
        }
        return (best, bestPrices);
    }

    /// <summary>The clients each layer takes in U(<paramref name="prices"/>): masks that may exceed
    /// budgets, a hint of which clients the dual wants together.</summary>
    public bool[][] LayerChoices(double[] prices)
    {
        var masks = Enumerable.Range(0, _clients).Select(_ => new bool[_layers]).ToArray();
        Evaluate(prices, masks);
        return masks;
    }

    /// <summary>The most cost a mask within <paramref name="budget"/> can have by
    /// <see cref="SelectionProblem.IsFeasible"/>: R + tolerance, cut down to a whole number when
    /// costs are whole and to 0 when no layer fits. The smaller it is, the smaller the bound; a
    /// budget of exactly 0 lets a problem whose optimum is 0 be proven optimal.</summary>
    private double EffectiveBudget(double budget)
    {
        double tolerant = budget + SelectionProblem.BudgetTolerance;
        if (_costs.Min() > tolerant) return 0;
        return _costs.All(c => c == Math.Floor(c)) ? Math.Floor(tolerant) : tolerant;
    }

    /// <summary>The value of the last <see cref="Evaluate"/> before its rounding margin.</summary>
    private double LastValue { get; set; }

    /// <summary>U(mu) plus its rounding margin; leaves each client's cost at the maximisers in the
    /// usage buffer and, if given, marks them in <paramref name="choices"/>.</summary>
    private double Evaluate(double[] prices, bool[][]? choices = null)
    {
        Array.Clear(_usage);
        double priceTerm = 0;
        for (int i = 0; i < _clients; i++) priceTerm += prices[i] * _budgets[i];
        double value = priceTerm, upper = priceTerm, magnitude = priceTerm;
        for (int l = 0; l < _layers; l++)
        {
            for (int i = 0; i < _clients; i++)
            {
                // A client that cannot afford the layer is left out of it for good: a stronger
                // relaxation that still contains every feasible selection.
                _reduced[i] = _costs[l] > _budgets[i] ? double.NegativeInfinity : _gradients[i][l] - prices[i] * _costs[l];
                _rank[i] = i;
                _sortKeys[i] = -_reduced[i];
            }
            // Keys sorted as primitives: several times faster than a comparer, and deterministic.
            Array.Sort(_sortKeys, _rank);
            // n = 0 is exact; every other n gets its own rounding margin, so a layer whose best
            // choice is clearly "nobody" adds exactly 0 to the bound.
            double prefix = 0, prefixMagnitude = 0, bestLayer = 0, bestLayerUpper = 0;
            int bestCount = 0;
            for (int n = 1; n <= _clients; n++)
            {
                int client = _rank[n - 1];
                if (double.IsNegativeInfinity(_reduced[client])) break;
                prefix += _reduced[client];
                prefixMagnitude += _gradients[client][l] + prices[client] * _costs[l];
                double penalty = _problem.Lambda * n * (double)(_clients - n);
                double candidate = prefix - penalty;
                if (candidate > bestLayer)
                {
                    bestLayer = candidate;
                    bestCount = n;
                }
                bestLayerUpper = Math.Max(bestLayerUpper, candidate + RoundingMargin(n + 3, prefixMagnitude + penalty));
            }
            value += bestLayer;
            upper += bestLayerUpper;
            magnitude += Math.Abs(bestLayerUpper);
            for (int n = 0; n < bestCount; n++)
            {
                _usage[_rank[n]] += _costs[l];
                if (choices is not null) choices[_rank[n]][l] = true;
            }
        }
        LastValue = value;
        return upper + RoundingMargin(_clients + _layers, magnitude);
    }

    /// <summary>A bound on the float error of a sum of <paramref name="terms"/> products whose
    /// magnitudes add up to <paramref name="magnitude"/>: two roundings of 2^-53 per term.</summary>
    private static double RoundingMargin(int terms, double magnitude) => terms * 2.3e-16 * magnitude;
}
