using FedLayers.Data;

namespace FedLayers.Federation;

/// <summary>
/// Per-client budgets, drawn once per client from one seeded stream (PAPER.md): whole layers, or
/// fractions of the selectable layers' summed cost. Both kinds share one shape: a normal centred on the
/// middle of the range with a quarter of its width as standard deviation, truncated to the range
/// by redrawing, so the middle is most common and both ends are possible.
/// </summary>
public static class ClientBudgets
{
    /// <summary>Whole layers: mean (min+max)/2, standard deviation (max-min+1)/4, truncated to
    /// [min-0.5, max+0.5) and rounded, so every integer in [min, max] is possible.</summary>
    public static int[] Draw(int seed, int clientCount, int minLayers, int maxLayers) =>
        TruncatedNormal(seed, clientCount, minLayers - 0.5, maxLayers + 0.5)
            .Select(x => (int)Math.Round(x, MidpointRounding.AwayFromZero)).ToArray();

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
