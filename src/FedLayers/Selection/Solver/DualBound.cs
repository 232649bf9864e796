namespace FedLayers.Selection.Solver;

/// <summary>
/// A Lagrangian dual of the selection problem: for every price vector p, U(p) is a proven upper
/// bound on the optimum. The best bound is sought by subgradient descent with Polyak steps towards
/// the best known objective and a step factor halved whenever the bound stalls. The step count
/// is fixed, so the bound depends only on the input. Both duals share the problem's data, the
/// budgets as a bound may count them (<see cref="EffectiveBudget"/>) and the layer side of U
/// (<see cref="ChooseClients"/>), so they relax the same problem in the same way.
/// </summary>
internal abstract class DualBound
{
    /// <summary>Subgradient steps without a better bound before the step factor is halved.</summary>
    private const int Patience = 10;

    /// <summary>Below this step factor the descent has converged as far as it will.</summary>
    private const double SmallestStepFactor = 1e-7;

    protected readonly int Clients, Layers;
    protected readonly double[] Costs;
    /// <summary>Each client's <see cref="EffectiveBudget"/>.</summary>
    protected readonly double[] Budgets;
    protected readonly double[][] Gradients;
    private readonly double[] _reduced;
    private readonly double[] _magnitudes;
    private readonly LayerCountChoice _layerChoice;

    protected DualBound(SelectionProblem problem)
    {
        Clients = problem.ClientCount;
        Layers = problem.LayerCount;
        Costs = problem.Costs.ToArray();
        Budgets = problem.Budgets.Select(b => EffectiveBudget(b, Costs)).ToArray();
        Gradients = Enumerable.Range(0, Clients).Select(i => problem.GradientsOf(i).ToArray()).ToArray();
        _reduced = new double[Clients];
        _magnitudes = new double[Clients];
        _layerChoice = new LayerCountChoice(Clients, problem.Lambda);
    }

    /// <summary>The most cost a mask within <paramref name="budget"/> can have by
    /// <see cref="SelectionProblem.IsFeasible"/>: R + tolerance, cut down to a whole number when
    /// costs are whole, to a whole number of layers when every layer costs the same, and to 0 when
    /// no layer fits. The smaller it is, the smaller the bound; a budget of exactly 0 lets a
    /// problem whose optimum is 0 be proven optimal.</summary>
    private static double EffectiveBudget(double budget, IReadOnlyList<double> costs)
    {
        double tolerant = budget + SelectionProblem.BudgetTolerance;
        if (costs.Min() > tolerant) return 0;
        if (costs.All(c => c == Math.Floor(c))) return Math.Floor(tolerant);
        if (costs.Any(c => c != costs[0])) return tolerant;
        // k layers of cost c: raised by the rounding a sum of k copies of c can carry.
        double layers = Math.Min(costs.Count, Math.Floor(tolerant / costs[0]));
        return layers * costs[0] * (1 + layers * 2.3e-16);
    }

    /// <summary>The layer side of U for <paramref name="layer"/>, each client charged
    /// <paramref name="charges"/>[i] for taking it (<see cref="LayerCountChoice"/>); the clients it
    /// takes are then the first <c>Count</c> of <see cref="ChosenClients"/>.</summary>
    protected (double Value, double Upper, int Count) ChooseClients(int layer, double[] charges)
    {
        for (int i = 0; i < Clients; i++)
        {
            // A client that cannot afford the layer is left out of it for good: a stronger
            // relaxation that still contains every feasible selection.
            _reduced[i] = Costs[layer] > Budgets[i] ? double.NegativeInfinity : Gradients[i][layer] - charges[i];
            _magnitudes[i] = Gradients[i][layer] + Math.Abs(charges[i]);
        }
        return _layerChoice.Solve(_reduced, _magnitudes);
    }

    /// <summary>The clients of the last <see cref="ChooseClients"/>, best first.</summary>
    protected IReadOnlyList<int> ChosenClients => _layerChoice.Rank;

    /// <summary>U(<paramref name="prices"/>) plus its rounding margin; leaves <see cref="LastValue"/>
    /// and a subgradient at the maximisers for <see cref="Subgradient"/>.</summary>
    protected abstract double Evaluate(double[] prices);

    /// <summary>The value of the last <see cref="Evaluate"/> before its rounding margin.</summary>
    protected double LastValue { get; set; }

    /// <summary>Writes a subgradient of U at the last evaluated prices into <paramref name="into"/>.</summary>
    protected abstract void Subgradient(double[] into);

    /// <summary>Whether the prices must stay >= 0 (prices of inequalities do, of equalities not).</summary>
    protected abstract bool NonNegativePrices { get; }

    /// <summary>The smallest U found in <paramref name="iterations"/> subgradient steps from
    /// <paramref name="startPrices"/>, or earlier once it is within <paramref name="targetGap"/>
    /// of <paramref name="bestObjective"/> or past the deadline; with the prices that gave it.</summary>
    public (double Bound, double[] Prices) Minimize(double[] startPrices, double bestObjective, int iterations, double targetGap, DateTime deadline)
    {
        var prices = startPrices.ToArray();
        var direction = new double[prices.Length];
        double best = Evaluate(prices);
        var bestPrices = prices.ToArray();
        double stepFactor = 1;
        int sinceImprovement = 0;
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            if (SelectionSolution.RelativeGap(best, bestObjective) <= targetGap || stepFactor < SmallestStepFactor || DateTime.UtcNow > deadline) break;
            Subgradient(direction);
            double squaredNorm = 0;
            foreach (double d in direction) squaredNorm += d * d;
            if (squaredNorm == 0) break; // a zero subgradient: these prices are optimal
            double current = LastValue;
            // Polyak: aim for the best known objective, which the optimum of U can only exceed.
            double step = stepFactor * Math.Max(current - bestObjective, 1e-9 * Math.Abs(current)) / squaredNorm;
            for (int k = 0; k < prices.Length; k++)
            {
                prices[k] -= step * direction[k];
                if (NonNegativePrices && prices[k] < 0) prices[k] = 0;
            }
            double value = Evaluate(prices);
            if (value < best)
            {
                best = value;
                Array.Copy(prices, bestPrices, prices.Length);
                sinceImprovement = 0;
            }
            else if (++sinceImprovement >= Patience)
            {
                stepFactor /= 2;
                sinceImprovement = 0;
                Array.Copy(bestPrices, prices, prices.Length);
                Evaluate(prices);
            }
        }
        return (best, bestPrices);
    }
}
