namespace FedLayers.Selection.Solver;

/// <summary>
/// The primal side of <see cref="LayerSelectionSolver"/>: good masks fast, without a proof.
/// <para>
/// Best response. The penalty -lambda n (K - n) depends on the counts only, so when client i
/// alone changes its mask, the objective changes by exactly sum_l (m'_il - m_il) w_il with
/// w_il = g_il + lambda (2 n_l^{-i} + 1 - K), n_l^{-i} counting the other clients on layer l.
/// A client's best response is therefore an exact knapsack over w, and every accepted response
/// raises the objective: the search climbs the objective itself and must stop.
/// </para>
/// <para>
/// Layer moves. Alone, best response stalls where no single client gains by moving: once lambda
/// is large nobody joins an empty layer and nobody leaves a full one, although everyone moving
/// together would gain. So for each layer the search also tries moving every client at once,
/// onto the layer ("gather": each client that can afford it takes it and refills the rest of
/// its budget) and off it ("scatter"), then climbs by best response, and keeps the result only
/// if the objective rose.
/// </para>
/// <para>
/// Starts: no layers; each client's own best layers (the lambda = 0 answer); and consensus,
/// every client filling its budget in the order of the layers' summed gradients (the large
/// lambda answer when budgets are equal). The best local optimum wins. The solver may add a
/// start from the dual bound's choices (<see cref="ImproveFrom"/>).
/// </para>
/// Every loop has a fixed cap, so the result depends only on the input; the deadline is a
/// safety net that stops the search early on a slow machine.
/// </summary>
internal sealed class SelectionHeuristic
{
    /// <summary>Best-response sweeps per climb; climbs stop much earlier in practice.</summary>
    private const int MaxSweeps = 200;

    /// <summary>Passes of layer moves over all layers per start.</summary>
    private const int MaxMovePasses = 20;

    private readonly SelectionProblem _problem;
    private readonly int _clients, _layers;
    private readonly double[][] _gradients;
    private readonly double[] _costs;
    private readonly ClientKnapsack _knapsack;
    private readonly double[] _weights;
    private readonly bool[] _response;
    private readonly double _improvementEpsilon;
    private readonly DateTime _deadline;

    private bool[][] _masks;
    private int[] _counts;

    public SelectionHeuristic(SelectionProblem problem, DateTime deadline)
    {
        _problem = problem;
        _clients = problem.ClientCount;
        _layers = problem.LayerCount;
        _gradients = Enumerable.Range(0, _clients).Select(i => problem.GradientsOf(i).ToArray()).ToArray();
        _costs = problem.Costs.ToArray();
        _knapsack = new ClientKnapsack(_costs);
        _weights = new double[_layers];
        _response = new bool[_layers];
        _deadline = deadline;
        // A gain below this is float noise; accepting it could cycle.
        double scale = _gradients.Max(row => row.Max()) + problem.Lambda * _clients;
        _improvementEpsilon = 1e-12 * Math.Max(scale, double.Epsilon);
        _masks = NewMasks();
        _counts = new int[_layers];
    }

    /// <summary>The best masks found, always within every budget.</summary>
    public bool[][] Run()
    {
        bool[][]? best = null;
        double bestObjective = double.NegativeInfinity;
        foreach (var start in Starts())
        {
            Load(start);
            Climb();
            ImproveByLayerMoves();
            double objective = _problem.Objective(_masks);
            if (objective > bestObjective)
            {
                bestObjective = objective;
                best = Copy(_masks);
            }
            if (DateTime.UtcNow > _deadline) break;
        }
        return best!;
    }

    /// <summary>Climbs from <paramref name="start"/>, which may exceed budgets: each client first
    /// keeps the best of its start layers that fit. Returns the masks reached.</summary>
    public bool[][] ImproveFrom(bool[][] start)
    {
        var fitted = NewMasks();
        for (int i = 0; i < _clients; i++)
        {
            for (int l = 0; l < _layers; l++) _weights[l] = start[i][l] ? _gradients[i][l] : 0;
            _knapsack.Solve(_weights, _problem.Budgets[i], fitted[i]);
        }
        Load(fitted);
        Climb();
        ImproveByLayerMoves();
        return Copy(_masks);
    }

    private IEnumerable<bool[][]> Starts()
    {
        yield return NewMasks();

        var own = NewMasks();
        for (int i = 0; i < _clients; i++) _knapsack.Solve(_gradients[i], _problem.Budgets[i], own[i]);
        yield return own;

        var columnSums = Enumerable.Range(0, _layers).Select(l => _gradients.Sum(row => row[l])).ToArray();
        var order = BudgetFill.ByDescendingScore(columnSums).ToList();
        yield return Enumerable.Range(0, _clients).Select(i => BudgetFill.TakeInOrder(order, _costs, _problem.Budgets[i])).ToArray();
    }

    /// <summary>Best responses, client by client, until a whole sweep changes nothing.</summary>
    private void Climb()
    {
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool changed = false;
            for (int i = 0; i < _clients; i++) changed |= Respond(i, forcedLayer: -1, bannedLayer: -1, onlyIfBetter: true);
            if (!changed || DateTime.UtcNow > _deadline) return;
        }
    }

    private void ImproveByLayerMoves()
    {
        for (int pass = 0; pass < MaxMovePasses; pass++)
        {
            bool improved = false;
            for (int l = 0; l < _layers; l++)
            {
                improved |= TryMove(l, gather: true);
                improved |= TryMove(l, gather: false);
                if (DateTime.UtcNow > _deadline) return;
            }
            if (!improved) return;
        }
    }

    /// <summary>Moves every client onto (or off) <paramref name="layer"/>, climbs, and keeps the
    /// result if the objective rose.</summary>
    private bool TryMove(int layer, bool gather)
    {
        double before = CurrentObjective();
        var savedMasks = Copy(_masks);
        var savedCounts = (int[])_counts.Clone();
        bool moved = false;
        for (int i = 0; i < _clients; i++)
        {
            if (_masks[i][layer] == gather) continue;
            moved |= gather
                ? Respond(i, forcedLayer: layer, bannedLayer: -1, onlyIfBetter: false)
                : Respond(i, forcedLayer: -1, bannedLayer: layer, onlyIfBetter: false);
        }
        if (!moved) return false;
        Climb();
        if (CurrentObjective() > before + _improvementEpsilon) return true;
        _masks = savedMasks;
        _counts = savedCounts;
        return false;
    }

    /// <summary>Client i's best mask given the others, optionally forced to take or to avoid one
    /// layer. Returns whether the mask changed.</summary>
    private bool Respond(int i, int forcedLayer, int bannedLayer, bool onlyIfBetter)
    {
        var mask = _masks[i];
        double budget = _problem.Budgets[i];
        if (forcedLayer >= 0)
        {
            if (_costs[forcedLayer] > budget + SelectionProblem.BudgetTolerance / 2) return false;
            budget -= _costs[forcedLayer];
        }
        double currentValue = 0;
        for (int l = 0; l < _layers; l++)
        {
            int others = _counts[l] - (mask[l] ? 1 : 0);
            _weights[l] = _gradients[i][l] + _problem.Lambda * (2.0 * others + 1 - _clients);
            if (mask[l]) currentValue += _weights[l];
        }
        double forcedWeight = 0;
        if (forcedLayer >= 0)
        {
            forcedWeight = _weights[forcedLayer];
            _weights[forcedLayer] = 0; // excluded from the knapsack, added below
        }
        if (bannedLayer >= 0) _weights[bannedLayer] = 0;

        double value = _knapsack.Solve(_weights, budget, _response) + forcedWeight;
        if (forcedLayer >= 0) _response[forcedLayer] = true;
        if (onlyIfBetter && value <= currentValue + _improvementEpsilon) return false;
        if (_response.AsSpan().SequenceEqual(mask)) return false;
        for (int l = 0; l < _layers; l++)
        {
            if (mask[l] == _response[l]) continue;
            _counts[l] += _response[l] ? 1 : -1;
            mask[l] = _response[l];
        }
        return true;
    }

    private double CurrentObjective()
    {
        double total = 0;
        for (int l = 0; l < _layers; l++) total -= _problem.Lambda * _counts[l] * (double)(_clients - _counts[l]);
        for (int i = 0; i < _clients; i++)
            for (int l = 0; l < _layers; l++)
                if (_masks[i][l]) total += _gradients[i][l];
        return total;
    }

    private void Load(bool[][] masks)
    {
        _masks = Copy(masks);
        _counts = new int[_layers];
        foreach (var mask in _masks)
            for (int l = 0; l < _layers; l++)
                if (mask[l]) _counts[l]++;
    }

    private bool[][] NewMasks() => Enumerable.Range(0, _clients).Select(_ => new bool[_layers]).ToArray();

    private static bool[][] Copy(bool[][] masks) => masks.Select(m => (bool[])m.Clone()).ToArray();
}
