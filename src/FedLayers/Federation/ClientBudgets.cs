using FedLayers.Data;

namespace FedLayers.Federation;

/// <summary>
/// Per-client budgets, drawn once per client (PAPER.md): a normal with mean (min+max)/2 and
/// standard deviation (max-min+1)/4, truncated to [min-0.5, max+0.5) by redrawing, then
/// rounded, so every integer in [min, max] is possible and the middle ones are most common.
/// </summary>
public static class ClientBudgets
{
    public static int[] Draw(int seed, int clientCount, int minLayers, int maxLayers)
    {
        var random = SeededRandom.For(seed, "client-budgets");
        double mean = (minLayers + maxLayers) / 2.0, sd = (maxLayers - minLayers + 1) / 4.0;
        var budgets = new int[clientCount];
        for (int c = 0; c < clientCount; c++)
        {
            double x;
            do { x = mean + sd * random.NextNormal(); } while (x < minLayers - 0.5 || x >= maxLayers + 0.5);
            budgets[c] = (int)Math.Round(x, MidpointRounding.AwayFromZero);
        }
        return budgets;
    }
}
