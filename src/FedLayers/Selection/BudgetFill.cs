namespace FedLayers.Selection;

/// <summary>The shared rule of the order-based strategies: walk the layers in a preference
/// order and take each one that still fits in the client's budget.</summary>
public static class BudgetFill
{
    /// <summary>Small slack so budgets given as sums of fractional costs are not missed by rounding.</summary>
    private const double Tolerance = 1e-9;

    /// <summary>
    /// The mask that walks <paramref name="preferenceOrder"/> and takes every layer whose cost still fits
    /// (a layer that does not fit is skipped, later cheaper ones may still be taken).
    /// </summary>
    /// <param name="preferenceOrder">Layer indices into <paramref name="costs"/>, most preferred first.</param>
    /// <param name="costs">c_l per selectable layer.</param>
    /// <param name="budget">The most summed cost the mask may have.</param>
    public static bool[] TakeInOrder(IEnumerable<int> preferenceOrder, IReadOnlyList<double> costs, double budget) =>
        TopUp(new bool[costs.Count], preferenceOrder, costs, budget);

    /// <summary>
    /// A copy of <paramref name="start"/> that also takes, walking <paramref name="preferenceOrder"/>, every layer it lacks whose cost
    /// still fits (as <see cref="TakeInOrder"/> does from an empty mask); it never goes over the budget.
    /// </summary>
    /// <param name="start">The layers already taken; their summed cost is at most <paramref name="budget"/>.</param>
    /// <param name="preferenceOrder">Layer indices into <paramref name="costs"/>, most preferred first.</param>
    /// <param name="costs">c_l per selectable layer.</param>
    /// <param name="budget">The most summed cost the mask may have.</param>
    public static bool[] TopUp(bool[] start, IEnumerable<int> preferenceOrder, IReadOnlyList<double> costs, double budget)
    {
        var mask = (bool[])start.Clone();
        double used = Cost(mask, costs);
        foreach (var layer in preferenceOrder)
        {
            if (mask[layer] || used + costs[layer] > budget + Tolerance) continue;
            mask[layer] = true;
            used += costs[layer];
        }
        return mask;
    }

    /// <summary>Layers sorted by descending score; ties go to the layer nearer the output.</summary>
    public static IEnumerable<int> ByDescendingScore(IReadOnlyList<double> scores) =>
        Enumerable.Range(0, scores.Count).OrderByDescending(l => scores[l]).ThenByDescending(l => l);

    /// <summary>Whether a mask's summed cost is within the budget (with the same slack as <see cref="TakeInOrder"/>).</summary>
    public static bool Fits(bool[] mask, IReadOnlyList<double> costs, double budget) => Cost(mask, costs) <= budget + Tolerance;

    /// <summary>The summed cost of a mask.</summary>
    public static double Cost(bool[] mask, IReadOnlyList<double> costs) =>
        Enumerable.Range(0, mask.Length).Where(l => mask[l]).Sum(l => costs[l]);
}
