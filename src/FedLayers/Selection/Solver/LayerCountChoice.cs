namespace FedLayers.Selection.Solver;

/// <summary>
/// The layer side of both dual bounds: for one layer, given each client's reduced gradient
/// (its gradient minus what the bound charges it for the layer), the best number n of clients
/// to put on the layer and the value max_n [ (sum of the n largest reduced gradients) - lambda n (K - n) ].
/// For a given n the best clients are the n largest, so sorting once and scanning n = 0..K is exact.
/// <para>
/// Float care: n = 0 is exact and every other n gets its own rounding margin, so a layer whose
/// best choice is clearly "nobody" adds exactly 0 to a bound.
/// </para>
/// Not thread-safe: it reuses its buffers.
/// </summary>
internal sealed class LayerCountChoice
{
    private readonly int _clients;
    private readonly double _lambda;
    private readonly int[] _rank;
    private readonly double[] _sortKeys;

    public LayerCountChoice(int clients, double lambda)
    {
        _clients = clients;
        _lambda = lambda;
        _rank = new int[clients];
        _sortKeys = new double[clients];
    }

    /// <summary>The clients ordered by reduced gradient, largest first, after the last <see cref="Solve"/>:
    /// the first <c>Count</c> of them are the ones the layer takes.</summary>
    public IReadOnlyList<int> Rank => _rank;

    /// <summary>The best count for <paramref name="reduced"/> (negative infinity: a client that can never
    /// take the layer), its value, and the value plus its rounding margin; <paramref name="magnitudes"/>
    /// holds, per client, the sum of the magnitudes of the terms in its reduced gradient.</summary>
    public (double Value, double Upper, int Count) Solve(double[] reduced, double[] magnitudes)
    {
        for (int i = 0; i < _clients; i++)
        {
            _rank[i] = i;
            _sortKeys[i] = -reduced[i];
        }
        // Keys sorted as primitives: several times faster than a comparer, and deterministic.
        Array.Sort(_sortKeys, _rank);
        double prefix = 0, prefixMagnitude = 0, best = 0, bestUpper = 0;
        int bestCount = 0;
        for (int n = 1; n <= _clients; n++)
        {
            int client = _rank[n - 1];
            if (double.IsNegativeInfinity(reduced[client])) break;
            prefix += reduced[client];
            prefixMagnitude += magnitudes[client];
            double penalty = _lambda * n * (double)(_clients - n);
            double candidate = prefix - penalty;
            if (candidate > best)
            {
                best = candidate;
                bestCount = n;
            }
            bestUpper = Math.Max(bestUpper, candidate + RoundingMargin(n + 3, prefixMagnitude + penalty));
        }
        return (best, bestUpper, bestCount);
    }

    /// <summary>A bound on the float error of a sum of <paramref name="terms"/> products whose
    /// magnitudes add up to <paramref name="magnitude"/>: two roundings of 2^-53 per term.</summary>
    public static double RoundingMargin(int terms, double magnitude) => terms * 2.3e-16 * magnitude;
}
