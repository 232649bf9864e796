namespace FedLayers.Selection.Solver;

/// <summary>
/// A Lagrangian dual of the selection problem: for every price vector p, U(p) is a proven upper
/// bound on the optimum. The best bound is sought by subgradient descent with Polyak steps towards
/// the best known objective and a step factor halved whenever the bound stalls. The step count
/// is fixed, so the bound depends only on the input.
/// </summary>
internal abstract class DualBound
{
    /// <summary>Subgradient steps without a better bound before the step factor is halved.</summary>
    private const int Patience = 10;

    /// <summary>Below this step factor the descent has converged as far as it will.</summary>
    private const double SmallestStepFactor = 1e-7;

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
