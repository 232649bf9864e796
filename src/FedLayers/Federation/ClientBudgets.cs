using FedLayers.Data;

namespace FedLayers.Federation;

/// <summary>
/// Per-client budgets, drawn once per client from one seeded stream (PAPER.md): whole layers, or
/// fractions of the selectable layers' summed cost. Both kinds share one shape by default: a normal centred on the
/// middle of the range with a quarter of its width as standard deviation, truncated to the range
/// by redrawing, so the middle is most common and both ends are possible. Whole layers can instead follow
/// the paper's reference code (<see cref="DrawReference"/>), where most clients get 1 or 2 layers.
/// </summary>
public static class ClientBudgets
{
    /// <summary>Whole layers: mean (min+max)/2, standard deviation (max-min+1)/4, truncated to
    /// [min-0.5, max+0.5) and rounded, so every integer in [min, max] is possible.</summary>
    public static int[] Draw(int seed, int clientCount, int minLayers, int maxLayers) =>
        TruncatedNormal(seed, clientCount, minLayers - 0.5, maxLayers + 0.5)
            .Select(x => (int)Math.Round(x, MidpointRounding.AwayFromZero)).ToArray();

    /// <summary>Whole layers as the paper's reference code draws them: x ~ N(1, 1) truncated to [min-0.5, max+0.5) and
    /// rounded, so every integer in [min, max] is possible and, with min 1, 1 is the most common (with 1..4: about 55 %,
    /// 35 %, 9 % and 0.9 %).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minLayers"/> is above <paramref name="maxLayers"/>.</exception>
    public static int[] DrawReference(int seed, int clientCount, int minLayers, int maxLayers)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minLayers, maxLayers);
        // Truncated, not clipped: clipping x to the range would pile the normal's whole mass beyond it onto the end
        // budgets, while truncation keeps every budget's share in the normal's own proportion to the others.
        // Budget k is x rounded, so it has N(1, 1)'s mass on [k-0.5, k+0.5), i.e. Q(k-1.5) - Q(k-0.5): drawing k by
        // those masses gives the budgets redrawing x until it lands in range would, in one draw however far in the
        // tail the range is (with a smallest budget of 20 layers, x lands in range about once in 1e76 draws).
        var logMasses = Enumerable.Range(minLayers, maxLayers - minLayers + 1).Select(k =>
        {
            double below = StandardNormal.LogUpperTail(k - 1.5), above = StandardNormal.LogUpperTail(k - 0.5);
            return below + Math.Log(1 - Math.Exp(above - below));
        }).ToArray();
        double largest = logMasses.Max(), total = 0;
        // relative to the largest mass, which far in the tail is itself below the smallest double
        var cumulative = logMasses.Select(m => total += Math.Exp(m - largest)).ToArray();
        var random = SeededRandom.For(seed, "client-budgets");
        var budgets = new int[clientCount];
        for (int i = 0; i < clientCount; i++)
        {
            double u = random.NextDouble() * total;
            int k = 0;
            while (k < cumulative.Length - 1 && u >= cumulative[k]) k++;
            budgets[i] = minLayers + k;
        }
        return budgets;
    }

    /// <summary>Continuous fractions: mean (min+max)/2, standard deviation (max-min)/4, truncated
    /// to [min, max); min = max gives that fraction to everyone.</summary>
    public static double[] DrawFractions(int seed, int clientCount, double minFraction, double maxFraction) =>
        minFraction == maxFraction
            ? Enumerable.Repeat(minFraction, clientCount).ToArray()
            : TruncatedNormal(seed, clientCount, minFraction, maxFraction);

    /// <summary>Draws from N((low+high)/2, ((high-low)/4)^2) until a value falls in [low, high).</summary>
    private static double[] TruncatedNormal(int seed, int count, double low, double high)
    {
        var random = SeededRandom.For(seed, "client-budgets");
        double mean = (low + high) / 2, sd = (high - low) / 4;
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double x;
            do { x = mean + sd * random.NextNormal(); } while (x < low || x >= high);
            values[i] = x;
        }
        return values;
    }
}
