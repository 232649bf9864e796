namespace FedLayers.Selection.Solver;

/// <summary>
/// One instance of the strategic selection problem (PAPER.md, "The proposed strategy"):
/// <code>
/// maximize    sum_i sum_l m_il g_il  -  lambda * sum_l n_l (K - n_l)
/// subject to  sum_l c_l m_il &lt;= R_i   for every client i,   m_il in {0, 1}
/// </code>
/// where n_l = sum_i m_il. For binary masks n_l (K - n_l) equals the paper's pairwise
/// disagreement sum_{i&lt;j} (m_il - m_jl)^2. Index i runs over the K clients, l over the L layers.
/// The inputs are copied, so the instance cannot change after construction.
/// </summary>
public sealed class SelectionProblem
{
    /// <summary>Slack for budgets that are sums of fractional costs (the same as <see cref="BudgetFill"/>).</summary>
    public const double BudgetTolerance = 1e-9;

    private readonly double[][] _gradients;
    private readonly double[] _budgets;
    private readonly double[] _costs;

    /// <summary>The one rule for lambda, wherever it is given: a finite number &gt;= 0.</summary>
    public static void RequireValidLambda(double lambda)
    {
        if (!double.IsFinite(lambda) || lambda < 0)
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "must be a finite number >= 0");
    }

    /// <param name="gradients">g[i][l] &gt;= 0: importance of layer l to client i.</param>
    /// <param name="budgets">R_i &gt;= 0: the most summed layer cost client i may train.</param>
    /// <param name="costs">c_l &gt; 0 per layer.</param>
    /// <param name="lambda">weight of the disagreement penalty, &gt;= 0.</param>
    /// <exception cref="ArgumentException">No client or no layer, or the counts of gradients, budgets and costs disagree.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value outside the ranges above, or not finite.</exception>
    public SelectionProblem(
        IReadOnlyList<IReadOnlyList<double>> gradients,
        IReadOnlyList<double> budgets,
        IReadOnlyList<double> costs,
        double lambda)
    {
        if (gradients.Count == 0) throw new ArgumentException("needs at least one client", nameof(gradients));
        if (costs.Count == 0) throw new ArgumentException("needs at least one layer", nameof(costs));
        if (budgets.Count != gradients.Count)
            throw new ArgumentException($"{budgets.Count} budgets for {gradients.Count} clients", nameof(budgets));
        RequireValidLambda(lambda);

        _costs = costs.ToArray();
        for (int l = 0; l < _costs.Length; l++)
            if (!double.IsFinite(_costs[l]) || _costs[l] <= 0)
                throw new ArgumentOutOfRangeException(nameof(costs), _costs[l], $"cost of layer {l} must be finite and > 0");

        _budgets = budgets.ToArray();
        for (int i = 0; i < _budgets.Length; i++)
            if (!double.IsFinite(_budgets[i]) || _budgets[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(budgets), _budgets[i], $"budget of client {i} must be finite and >= 0");

        _gradients = new double[gradients.Count][];
        for (int i = 0; i < gradients.Count; i++)
        {
            if (gradients[i].Count != _costs.Length)
                throw new ArgumentException($"client {i} has {gradients[i].Count} gradients for {_costs.Length} layers", nameof(gradients));
            _gradients[i] = gradients[i].ToArray();
            for (int l = 0; l < _costs.Length; l++)
                if (!double.IsFinite(_gradients[i][l]) || _gradients[i][l] < 0)
                    throw new ArgumentOutOfRangeException(nameof(gradients), _gradients[i][l], $"g[{i}][{l}] must be finite and >= 0");
        }
        Lambda = lambda;
    }

    /// <summary>K.</summary>
    public int ClientCount => _gradients.Length;

    /// <summary>L.</summary>
    public int LayerCount => _costs.Length;

    /// <summary>The weight of the disagreement penalty, &gt;= 0.</summary>
    public double Lambda { get; }

    /// <summary>R_i per client.</summary>
    public IReadOnlyList<double> Budgets => Array.AsReadOnly(_budgets);

    /// <summary>c_l per layer.</summary>
    public IReadOnlyList<double> Costs => Array.AsReadOnly(_costs);

    /// <summary>g_il.</summary>
    public double Gradient(int client, int layer) => _gradients[client][layer];

    /// <summary>g_i: the gradients of one client, one per layer.</summary>
    public IReadOnlyList<double> GradientsOf(int client) => Array.AsReadOnly(_gradients[client]);

    /// <summary>The objective of <paramref name="masks"/> (one per client), in double precision.</summary>
    public double Objective(bool[][] masks)
    {
        RequireShape(masks);
        double reward = 0, disagreement = 0;
        for (int l = 0; l < LayerCount; l++)
        {
            int taken = 0;
            for (int i = 0; i < ClientCount; i++)
            {
                if (!masks[i][l]) continue;
                reward += _gradients[i][l];
                taken++;
            }
            disagreement += (double)taken * (ClientCount - taken);
        }
        return reward - Lambda * disagreement;
    }

    /// <summary>Whether every mask fits its client's budget (up to <see cref="BudgetTolerance"/>).</summary>
    public bool IsFeasible(bool[][] masks)
    {
        RequireShape(masks);
        for (int i = 0; i < ClientCount; i++)
            if (BudgetFill.Cost(masks[i], _costs) > _budgets[i] + BudgetTolerance) return false;
        return true;
    }

    private void RequireShape(bool[][] masks)
    {
        if (masks.Length != ClientCount || masks.Any(m => m.Length != LayerCount))
            throw new ArgumentException($"expected {ClientCount} masks of {LayerCount} layers", nameof(masks));
    }
}
