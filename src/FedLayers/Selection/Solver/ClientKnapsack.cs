namespace FedLayers.Selection.Solver;

/// <summary>
/// One client's best mask for given per-layer weights: the 0/1 knapsack
/// max sum_l w_l m_l subject to sum_l c_l m_l &lt;= R. Exact. When every layer costs the same it
/// takes the best positive weights that fit; otherwise it runs a depth-first branch and bound
/// over the positive-weight layers in order of weight per cost, pruned by the fractional
/// (Dantzig) bound, which is fast for the few dozen layers a model has.
/// Ties go to the layer with the lower index, so the answer is deterministic.
/// Not thread-safe: it reuses its buffers.
/// </summary>
internal sealed class ClientKnapsack
{
    /// <summary>Half of <see cref="SelectionProblem.BudgetTolerance"/>: a mask that fits here fits
    /// <see cref="SelectionProblem.IsFeasible"/> even if that sums the costs in another order.</summary>
    private const double Slack = SelectionProblem.BudgetTolerance / 2;

    private readonly double[] _costs;
    private readonly bool _equalCosts;
    private readonly int[] _order;
    private readonly bool[] _current;
    private readonly double[] _ratio;
    private readonly bool[] _bounded;
    private int _candidates;
    private double _best;
    private int _nodesLeft;
    private double[] _weights = [];

    public ClientKnapsack(IReadOnlyList<double> costs)
    {
        _costs = costs.ToArray();
        _equalCosts = _costs.All(c => c == _costs[0]);
        _order = new int[_costs.Length];
        _current = new bool[_costs.Length];
        _ratio = new double[_costs.Length];
        _bounded = new bool[_costs.Length];
    }

    /// <summary>Writes into <paramref name="take"/> a best mask for <paramref name="weights"/>
    /// within <paramref name="budget"/>, and returns its summed weight. Layers with weight &lt;= 0
    /// are never taken.</summary>
    public double Solve(double[] weights, double budget, bool[] take) => Search(weights, budget, take, int.MaxValue);

    /// <summary>An upper bound on the best summed weight within <paramref name="budget"/>, and a
    /// maximiser of it in <paramref name="solution"/>: the exact 0/1 answer when the branch and bound
    /// finishes within <paramref name="nodeLimit"/> nodes, otherwise the fractional (Dantzig) bound and
    /// its fractional mask. Weights that make many masks about equally good (every layer's weight per
    /// cost alike) defeat the pruning, so a caller that only needs a bound caps the work this way.</summary>
    public double UpperBound(double[] weights, double budget, double[] solution, int nodeLimit)
    {
        double best = Search(weights, budget, _bounded, nodeLimit);
        if (_nodesLeft >= 0)
        {
            for (int l = 0; l < solution.Length; l++) solution[l] = _bounded[l] ? 1 : 0;
            return best;
        }
        Array.Clear(solution);
        return Math.Max(best, FractionalBound(0, budget + Slack, solution));
    }

    private double Search(double[] weights, double budget, bool[] take, int nodeLimit)
    {
        Array.Clear(take);
        _nodesLeft = nodeLimit;
        _candidates = 0;
        for (int l = 0; l < weights.Length; l++)
            if (weights[l] > 0 && _costs[l] <= budget + Slack) _order[_candidates++] = l;
        if (_candidates == 0) return 0;
        return _equalCosts ? TakeBest(weights, budget, take) : BranchAndBound(weights, budget, take);
    }

    private double TakeBest(double[] weights, double budget, bool[] take)
    {
        double total = 0, used = 0;
        // Selection by repeated maximum: budgets are a handful of layers.
        while (true)
        {
            int pick = -1;
            for (int k = 0; k < _candidates; k++)
            {
                int l = _order[k];
                if (!take[l] && (pick < 0 || weights[l] > weights[pick])) pick = l;
            }
            if (pick < 0 || used + _costs[pick] > budget + Slack) return total;
            take[pick] = true;
            used += _costs[pick];
            total += weights[pick];
        }
    }

    private double BranchAndBound(double[] weights, double budget, bool[] take)
    {
        for (int k = 0; k < _candidates; k++) _ratio[_order[k]] = weights[_order[k]] / _costs[_order[k]];
        var ratio = _ratio;
        Array.Sort(_order, 0, _candidates, Comparer<int>.Create((a, b) => ratio[a] != ratio[b] ? ratio[b].CompareTo(ratio[a]) : a.CompareTo(b)));
        _weights = weights;
        _best = 0;
        Array.Clear(_current);
        Branch(0, budget + Slack, 0, take);
        return _best;
    }

    private void Branch(int position, double room, double value, bool[] take)
    {
        if (--_nodesLeft < 0) return;
        if (value > _best)
        {
            _best = value;
            Array.Copy(_current, take, take.Length);
        }
        if (position == _candidates || value + FractionalBound(position, room) <= _best) return;
        int layer = _order[position];
        if (_costs[layer] <= room)
        {
            _current[layer] = true;
            Branch(position + 1, room - _costs[layer], value + _weights[layer], take);
            _current[layer] = false;
        }
        Branch(position + 1, room, value, take);
    }

    /// <summary>The most the layers from <paramref name="position"/> on can add when the last one
    /// may be taken in part: an upper bound for the 0/1 choice. If given, <paramref name="solution"/>
    /// gets the share of each layer taken.</summary>
    private double FractionalBound(int position, double room, double[]? solution = null)
    {
        double bound = 0;
        for (int k = position; k < _candidates && room > 0; k++)
        {
            int l = _order[k];
            if (_costs[l] > room)
            {
                if (solution is not null) solution[l] = room / _costs[l];
                return bound + _weights[l] * room / _costs[l];
            }
            if (solution is not null) solution[l] = 1;
            bound += _weights[l];
            room -= _costs[l];
        }
        return bound;
    }
}
