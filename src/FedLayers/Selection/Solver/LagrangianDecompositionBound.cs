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
/// <see cref="SelectionProblem.IsFeasible"/> allows (<see cref="DualBound"/>),
/// and each half gets the rounding margin of its sums (<see cref="LayerCountChoice.RoundingMargin"/>).
/// </para>
/// </summary>
internal sealed class LagrangianDecompositionBound : DualBound
{
    /// <summary>Branch-and-bound nodes per knapsack before its fractional bound stands in: at the start,
    /// pi_il = mu_i c_l gives every layer the same weight per cost, where the search cannot prune.</summary>
    private const int KnapsackNodeLimit = 20000;

    private readonly ClientKnapsack _knapsack;
    private readonly double[] _weights;
    private readonly double[][] _knapsackChoice;
    private readonly bool[][] _layerTakes;
    private readonly double[] _charges;

    public LagrangianDecompositionBound(SelectionProblem problem) : base(problem)
    {
        _knapsack = new ClientKnapsack(Costs);
        _weights = new double[Layers];
        _knapsackChoice = Enumerable.Range(0, Clients).Select(_ => new double[Layers]).ToArray();
        _layerTakes = Enumerable.Range(0, Clients).Select(_ => new bool[Layers]).ToArray();
        _charges = new double[Clients];
    }

    /// <summary>The decomposition's prices that equal the budget relaxation's <paramref name="budgetPrices"/>
    /// mu: pi_il = mu_i c_l, flattened client by client.</summary>
    public double[] PricesFrom(double[] budgetPrices)
    {
        var prices = new double[Clients * Layers];
        for (int i = 0; i < Clients; i++)
            for (int l = 0; l < Layers; l++)
                prices[i * Layers + l] = budgetPrices[i] * Costs[l];
        return prices;
    }

    protected override bool NonNegativePrices => false;

    protected override void Subgradient(double[] into)
    {
        for (int i = 0; i < Clients; i++)
            for (int l = 0; l < Layers; l++)
                into[i * Layers + l] = _knapsackChoice[i][l] - (_layerTakes[i][l] ? 1 : 0);
    }

    protected override double Evaluate(double[] prices)
    {
        double value = 0, upper = 0, magnitude = 0;
        for (int i = 0; i < Clients; i++)
        {
            double priced = 0;
            for (int l = 0; l < Layers; l++)
            {
                _weights[l] = prices[i * Layers + l];
                priced += Math.Abs(_weights[l]);
            }
            double best = _knapsack.UpperBound(_weights, Budgets[i], _knapsackChoice[i], KnapsackNodeLimit);
            double margin = LayerCountChoice.RoundingMargin(Layers + 3, priced);
            value += best;
            upper += best + margin;
            magnitude += Math.Abs(best) + margin;
        }
        for (int l = 0; l < Layers; l++)
        {
            for (int i = 0; i < Clients; i++)
            {
                _charges[i] = prices[i * Layers + l];
                _layerTakes[i][l] = false;
            }
            var (bestLayer, bestLayerUpper, bestCount) = ChooseClients(l, _charges);
            value += bestLayer;
            upper += bestLayerUpper;
            magnitude += Math.Abs(bestLayerUpper);
            for (int n = 0; n < bestCount; n++) _layerTakes[ChosenClients[n]][l] = true;
        }
        LastValue = value;
        return upper + LayerCountChoice.RoundingMargin(Clients + Layers, magnitude);
    }
}
