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
/// of <see cref="SelectionProblem.IsFeasible"/>; see <see cref="DualBound"/>), and every sum in the bound gets a margin for its
/// rounding: (number of terms) x 2.3e-16 x the sum of their magnitudes. Each count n of a layer
/// gets its own margin, so a layer nobody should take adds exactly 0 and a problem whose optimum
/// is 0 can be proven optimal.
/// </para>
/// </summary>
internal sealed class LagrangianBound : DualBound
{
    private readonly double[] _charges;
    private readonly double[] _usage;

    public LagrangianBound(SelectionProblem problem) : base(problem)
    {
        _charges = new double[Clients];
        _usage = new double[Clients];
    }

    protected override bool NonNegativePrices => true;

    /// <summary>dU/dmu_i = R_i - (client i's cost at the layers' maximisers).</summary>
    protected override void Subgradient(double[] into)
    {
        for (int i = 0; i < Clients; i++) into[i] = Budgets[i] - _usage[i];
    }

    /// <summary>The clients each layer takes in U(<paramref name="prices"/>): masks that may exceed
    /// budgets, a hint of which clients the dual wants together.</summary>
    public bool[][] LayerChoices(double[] prices)
    {
        var masks = Enumerable.Range(0, Clients).Select(_ => new bool[Layers]).ToArray();
        Evaluate(prices, masks);
        return masks;
    }

    protected override double Evaluate(double[] prices) => Evaluate(prices, null);

    /// <summary>U(mu) plus its rounding margin; leaves each client's cost at the maximisers in the
    /// usage buffer and, if given, marks them in <paramref name="choices"/>.</summary>
    private double Evaluate(double[] prices, bool[][]? choices)
    {
        Array.Clear(_usage);
        double priceTerm = 0;
        for (int i = 0; i < Clients; i++) priceTerm += prices[i] * Budgets[i];
        double value = priceTerm, upper = priceTerm, magnitude = priceTerm;
        for (int l = 0; l < Layers; l++)
        {
            for (int i = 0; i < Clients; i++) _charges[i] = prices[i] * Costs[l];
            var (bestLayer, bestLayerUpper, bestCount) = ChooseClients(l, _charges);
            value += bestLayer;
            upper += bestLayerUpper;
            magnitude += Math.Abs(bestLayerUpper);
            for (int n = 0; n < bestCount; n++)
            {
                int client = ChosenClients[n];
                _usage[client] += Costs[l];
                if (choices is not null) choices[client][l] = true;
            }
        }
        LastValue = value;
        return upper + LayerCountChoice.RoundingMargin(Clients + Layers, magnitude);
    }
}
