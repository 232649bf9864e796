using FedLayers.Selection;
using FedLayers.Selection.Solver;

namespace FedLayers.Tests.Selection;

/// <summary>
/// The exact optimum of a tiny <see cref="SelectionProblem"/> by trying every combination of
/// feasible masks: the reference the solvers are checked against. The counts per layer are kept
/// up to date as the search goes, so a leaf costs O(L) instead of a full objective.
/// </summary>
public static class BruteForceSelection
{
    public static double OptimalObjective(SelectionProblem problem)
    {
        var feasiblePerClient = Enumerable.Range(0, problem.ClientCount)
            .Select(i => AllMasks(problem.LayerCount)
                .Where(m => BudgetFill.Cost(m, problem.Costs) <= problem.Budgets[i] + SelectionProblem.BudgetTolerance)
                .ToList())
            .ToList();

        var counts = new int[problem.LayerCount];
        double best = double.NegativeInfinity;
        void Search(int client, double reward)
        {
            if (client == problem.ClientCount)
            {
                double disagreement = counts.Sum(n => (double)n * (problem.ClientCount - n));
                best = Math.Max(best, reward - problem.Lambda * disagreement);
                return;
            }
            foreach (var mask in feasiblePerClient[client])
            {
                double gained = 0;
                for (int l = 0; l < mask.Length; l++)
                    if (mask[l]) { counts[l]++; gained += problem.Gradient(client, l); }
                Search(client + 1, reward + gained);
                for (int l = 0; l < mask.Length; l++)
                    if (mask[l]) counts[l]--;
            }
        }
        Search(0, 0);
        return best;
    }

    /// <summary>The best summed gradient one client can fit in its budget (its optimum at lambda = 0).</summary>
    public static double BestKnapsack(SelectionProblem problem, int client) =>
        AllMasks(problem.LayerCount)
            .Where(m => BudgetFill.Cost(m, problem.Costs) <= problem.Budgets[client] + SelectionProblem.BudgetTolerance)
            .Max(m => Enumerable.Range(0, m.Length).Where(l => m[l]).Sum(l => problem.Gradient(client, l)));

    private static IEnumerable<bool[]> AllMasks(int layers) =>
        Enumerable.Range(0, 1 << layers).Select(bits => Enumerable.Range(0, layers).Select(l => (bits >> l & 1) == 1).ToArray());
}
