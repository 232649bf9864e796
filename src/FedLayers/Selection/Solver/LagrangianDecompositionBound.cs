namespace FedLayers.Selection.Solver;

/// <summary>
/// A tighter proven bound than <see cref="LagrangianBound"/> when layers cost different amounts.
/// <para>
/// Pricing out the budgets lets a client spend its budget on fractions of layers: with budget 1
/// and two layers of cost 0.6, the budget relaxation can pay for 1.67 layers, where a real mask
/// holds one. Lagrangian decomposition keeps every knapsack whole. The masks are copied, m for the
/// budgets and y for the layers' counts, and the copies are tied by a price pi_il on m_il = y_il:
/// <code>
/// U(pi) = sum_i max { sum_l pi_il m_il : sum_l c_l m_il &lt;= R_i }
///       + sum_l max_n [ (sum of the n largest of g_il - pi_il) - lambda n (K - n) ]
/// </code>
/// Any feasible masks, with y = m, score their objective in both halves together, so U(pi) bounds
/// the optimum for every pi. Each client's knapsack is solved exactly by <see cref="ClientKnapsack"/>
/// and each layer by <see cref="LayerCountChoice"/>. With pi_il = mu_i c_l a knapsack is worth at
/// most mu_i R_i, so U is then at most the budget relaxation's bound at mu: started from its best
/// prices, the descent (<see cref="DualBound"/>, dU/dpi_il = m_il - y_il) can only improve on it.
/// With unit costs and whole budgets the knapsacks are already whole and nothing is gained.
/// </para>
/// <para>
/// Float care: each knapsack is solved over a budget no smaller than
/// <see cref="SelectionProblem.IsFeasible"/> allows (<see cref="LagrangianBound.EffectiveBudget"/>),
/// and each half gets the rounding margin of its sums (<see cref="LayerCountChoice.RoundingMargin"/>).
/// </para>
/// </summary>
internal sealed class LagrangianDecompositionBound : DualBound
{
    /// <summary>Branch-and-bound nodes per knapsack before its fractional bound stands in: at the start,
    /// pi_il = mu_i c_l gives every layer the same weight per cost, where the search cannot prune.</summary>
    private const int KnapsackNodeLimit = 20000;

    private readonly int _clients, _layers;
    private readonly double[] _budgets;
    private readonly double[] _costs;
    private readonly double[][] _gradients;
    private readonly ClientKnapsack _knapsack;
    private readonly double[] _weights;
    private readonly double[][] _knapsackChoice;
    private readonly bool[][] _layerTakes;
    private readonly double[] _reduced;
    private readonly double[] _magnitudes;
    private readonly LayerCountChoice _layerChoice;

    public LagrangianDecompositionBound(SelectionProblem problem)
    {
        _clients = problem.ClientCount;
        _layers = problem.LayerCount;
        _costs = problem.Costs.ToArray();
        _budgets = problem.Budgets.Select(b => LagrangianBound.EffectiveBudget(b, _costs)).ToArray();
        _gradients = Enumerable.Range(0, _clients).Select(i => problem.GradientsOf(i).ToArray()).ToArray();
        _knapsack = new ClientKnapsack(_costs);
        _weights = new double[_layers];
        _knapsackChoice = Enumerable.Range(0, _clients).Select(_ => new double[_layers]).ToArray();
        _layerTakes = Enumerable.Range(0, _clients).Select(_ => new bool[_layers]).ToArray();
        _reduced = new double[_clients];
        _magnitudes = new double[_clients];
        _layerChoice = new LayerCountChoice(_clients, problem.Lambda);
    }

    /// <summary>The decomposition's prices that equal the budget relaxation's <paramref name="budgetPrices"/>
    /// mu: pi_il = mu_i c_l, flattened client by client.</summary>
    public double[] PricesFrom(double[] budgetPrices)
    {
        var prices = new double[_clients * _layers];
        for (int i = 0; i < _clients; i++)
            for (int l = 0; l < _layers; l++)
                prices[i * _layers + l] = budgetPrices[i] * _costs[l];
        return prices;
    }

    protected override bool NonNegativePrices => false;

    protected override void Subgradient(double[] into)
    {
        for (int i = 0; i < _clients; i++)
            for (int l = 0; l < _layers; l++)
                into[i * _layers + l] = _knapsackChoice[i][l] - (_layerTakes[i][l] ? 1 : 0);
    }

    protected override double Evaluate(double[] prices)
    {
        double value = 0, upper = 0, magnitude = 0;
        for (int i = 0; i < _clients; i++)
        {
            double priced = 0;
            for (int l = 0; l < _layers; l++)
            {
                _weights[l] = prices[i * _layers + l];
                priced += Math.Abs(_weights[l]);
            }
            double best = _knapsack.UpperBound(_weights, _budgets[i], _knapsackChoice[i], KnapsackNodeLimit);
            double margin = LayerCountChoice.RoundingMargin(_layers + 3, priced);
            value += best;
            upper += best + margin;
            magnitude += Math.Abs(best) + margin;
        }
        for (int l = 0; l < _layers; l++)
        {
            for (int i = 0; i < _clients; i++)
            {
                double price = prices[i * _layers + l];
                // As in the budget relaxation: a client that cannot afford the layer never takes it.
                _reduced[i] = _costs[l] > _budgets[i] ? double.NegativeInfinity : _gradients[i][l] - price;
                _magnitudes[i] = _gradients[i][l] + Math.Abs(price);
                _layerTakes[i][l] = false;
            }
            var (bestLayer, bestLayerUpper, bestCount) = _layerChoice.Solve(_reduced, _magnitudes);
            value += bestLayer;
            upper += bestLayerUpper;
            magnitude += Math.Abs(bestLayerUpper);
            for (int n = 0; n < bestCount; n++) _layerTakes[_layerChoice.Rank[n]][l] = true;
        }
        LastValue = value;
        return upper + LayerCountChoice.RoundingMargin(_clients + _layers, magnitude);
    }
}
