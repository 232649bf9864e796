namespace FedLayers.Privacy;

/// <summary>
/// Adds up the Rényi DP of a sequence of subsampled Gaussian releases (RDP composes by summing, order by order)
/// and converts the total to an (epsilon, delta) guarantee with the conversion of Balle, Barthe, Gaboardi, Hsu and
/// Sato ("Hypothesis testing interpretations and Renyi differential privacy", 2020, theorem 21):
/// epsilon = min over alpha of rdp(alpha) + log((alpha - 1) / alpha) - (log(delta) + log(alpha)) / (alpha - 1).
/// </summary>
/// <param name="orders">the integer RDP orders tried, each at least 2; null: <see cref="DefaultOrders"/>.</param>
public sealed class RdpAccountant(IReadOnlyList<int>? orders = null)
{
    /// <summary>2 to 64, then 80, 96, 128, 256 and 512: enough to find the best order from tiny to large epsilons.</summary>
    public static IReadOnlyList<int> DefaultOrders { get; } = [.. Enumerable.Range(2, 63), 80, 96, 128, 256, 512];

    private readonly int[] orders = [.. orders ?? DefaultOrders];
    private readonly double[] total = new double[(orders ?? DefaultOrders).Count];

    /// <summary>The orders the accountant tracks.</summary>
    public IReadOnlyList<int> Orders => orders;

    /// <summary>The RDP spent so far, per order (in <see cref="Orders"/>' order).</summary>
    public IReadOnlyList<double> Spent => total;

    /// <summary>Records <paramref name="steps"/> releases at sampling rate q and noise multiplier sigma.</summary>
    public void Add(double samplingRate, double noiseMultiplier, int steps = 1)
    {
        if (steps < 0) throw new ArgumentException($"must be at least 0, got {steps}", nameof(steps));
        for (int i = 0; i < orders.Length; i++) total[i] += steps * SubsampledGaussian.RdpEpsilon(samplingRate, noiseMultiplier, orders[i]);
    }

    /// <summary>Restores the RDP spent, as <see cref="Spent"/> gave it (a resumed run continues its accountant).</summary>
    public void Restore(IReadOnlyList<double> spent)
    {
        if (spent.Count != total.Length) throw new ArgumentException($"expected {total.Length} orders, got {spent.Count}", nameof(spent));
        for (int i = 0; i < total.Length; i++) total[i] = spent[i];
    }

    /// <summary>The smallest epsilon any order gives for <paramref name="delta"/>, and that order.</summary>
    /// <param name="delta">in (0, 1).</param>
    public (double Epsilon, int Order) Epsilon(double delta)
    {
        if (!(delta > 0 && delta < 1)) throw new ArgumentException($"must be in (0, 1), got {delta}", nameof(delta));
        double best = double.PositiveInfinity;
        int bestOrder = orders[0];
        for (int i = 0; i < orders.Length; i++)
        {
            double alpha = orders[i];
            double epsilon = total[i] + Math.Log((alpha - 1) / alpha) - (Math.Log(delta) + Math.Log(alpha)) / (alpha - 1);
            if (epsilon < best) (best, bestOrder) = (epsilon, orders[i]);
        }
        return (Math.Max(0, best), bestOrder);
    }
}
