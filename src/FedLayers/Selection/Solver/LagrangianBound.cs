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
/// (<see cref="DualBound"/>; dU/dmu_i = R_i - sum_l c_l m_il at the layers' maximisers).
/// </para>
/// <para>
/// Float care: budgets get <see cref="SelectionProblem.BudgetTolerance"/> added (the feasible set
/// of <see cref="SelectionProblem.IsFeasible"/>; see <see cref="EffectiveBudget"/>), and every sum in the bound gets a margin for its
/// rounding: (number of terms) x 2.3e-16 x the sum of their magnitudes. Each count n of a layer
/// gets its own margin, so a layer nobody should take adds exactly 0 and a problem whose optimum
/// is 0 can be proven optimal.
/// </para>
/// </summary>
internal sealed class LagrangianBound : DualBound
{
    private readonly int _clients, _layers;
    private readonly double[] _budgets;
    private readonly double[] _costs;
    private readonly double[][] _gradients;
    private readonly double[] _reduced;
    private readonly double[] _magnitudes;
    private readonly LayerCountChoice _layerChoice;
    private readonly double[] _usage;

    public LagrangianBound(SelectionProblem problem)
    {
        _clients = problem.ClientCount;
        _layers = problem.LayerCount;
        _costs = problem.Costs.ToArray();
        _budgets = problem.Budgets.Select(b => EffectiveBudget(b, _costs)).ToArray();
        _gradients = Enumerable.Range(0, _clients).Select(i => problem.GradientsOf(i).ToArray()).ToArray();
        _reduced = new double[_clients];
        _magnitudes = new double[_clients];
        _layerChoice = new LayerCountChoice(_clients, problem.Lambda);
        _usage = new double[_clients];
    }

    protected override bool NonNegativePrices => true;

    /// <summary>dU/dmu_i = R_i - (client i's cost at the layers' maximisers).</summary>
    protected override void Subgradient(double[] into)
    {
        for (int i = 0; i < _clients; i++) into[i] = _budgets[i] - _usage[i];
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
    /// costs are whole, to a whole number of layers when every layer costs the same, and to 0 when
    /// no layer fits. The smaller it is, the smaller the bound; a budget of exactly 0 lets a
    /// problem whose optimum is 0 be proven optimal.</summary>
    internal static double EffectiveBudget(double budget, IReadOnlyList<double> costs)
    {
        double tolerant = budget + SelectionProblem.BudgetTolerance;
        if (costs.Min() > tolerant) return 0;
        if (costs.All(c => c == Math.Floor(c))) return Math.Floor(tolerant);
        if (costs.Any(c => c != costs[0])) return tolerant;
        // k layers of cost c: raised by the rounding a sum of k copies of c can carry.
        double layers = Math.Min(costs.Count, Math.Floor(tolerant / costs[0]));
        return layers * costs[0] * (1 + layers * 2.3e-16);
    }

    protected override double Evaluate(double[] prices) => Evaluate(prices, null);

    /// <summary>U(mu) plus its rounding margin; leaves each client's cost at the maximisers in the
    /// usage buffer and, if given, marks them in <paramref name="choices"/>.</summary>
    private double Evaluate(double[] prices, bool[][]? choices)
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
                _magnitudes[i] = _gradients[i][l] + prices[i] * _costs[l];
            }
            var (bestLayer, bestLayerUpper, bestCount) = _layerChoice.Solve(_reduced, _magnitudes);
            value += bestLayer;
            upper += bestLayerUpper;
            magnitude += Math.Abs(bestLayerUpper);
            for (int n = 0; n < bestCount; n++)
            {
                int client = _layerChoice.Rank[n];
                _usage[client] += _costs[l];
                if (choices is not null) choices[client][l] = true;
            }
        }
        LastValue = value;
        return upper + LayerCountChoice.RoundingMargin(_clients + _layers, magnitude);
    }
}
