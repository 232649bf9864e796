using FedLayers.Selection;
using FedLayers.Selection.Solver;

namespace FedLayers.Tests.Selection;

/// <summary>
/// The exact optimum of a tiny <see cref="SelectionProblem"/> by trying every combination of
/// feasible masks: the reference the CP-SAT solver is checked against.
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

        var chosen = new bool[problem.ClientCount][];
        double best = double.NegativeInfinity;
        void Search(int client)
        {
            if (client == problem.ClientCount)
            {
                best = Math.Max(best, problem.Objective(chosen));
                return;
            }
            foreach (var mask in feasiblePerClient[client])
            {
                chosen[client] = mask;
                Search(client + 1);
            }
        }
        Search(0);
        return best;
    }

    private static IEnumerable<bool[]> AllMasks(int layers) =>
        Enumerable.Range(0, 1 << layers).Select(bits => Enumerable.Range(0, layers).Select(l => (bits >> l & 1) == 1).ToArray());
}
