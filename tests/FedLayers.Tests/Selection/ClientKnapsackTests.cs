using FedLayers.Selection;
using FedLayers.Selection.Solver;

namespace FedLayers.Tests.Selection;

public class ClientKnapsackTests
{
    [Fact]
    public void A_search_cut_short_returns_the_fractional_bound_and_its_fractional_mask()
    {
        // Every layer has the same weight per cost: the branch and bound cannot prune.
        double[] costs = [0.7, 0.9, 1.1, 0.8, 1.3, 0.6];
        var weights = costs.Select(c => 2 * c).ToArray();
        var knapsack = new ClientKnapsack(costs);
        double budget = 2.5;
        var solution = new double[costs.Length];

        double bound = knapsack.UpperBound(weights, budget, solution, nodeLimit: 1);

        // The search allows the budget plus a slack far below the budget tolerance.
        Assert.Equal(2 * budget, bound, tolerance: 1e-8);
        Assert.All(solution, x => Assert.InRange(x, 0, 1));
        Assert.Equal(budget, solution.Select((x, l) => x * costs[l]).Sum(), tolerance: 1e-8);
        Assert.Equal(bound, solution.Select((x, l) => x * weights[l]).Sum(), tolerance: 1e-12);
        Assert.Single(solution, x => x is > 0 and < 1);
    }

    [Fact]
    public void A_search_within_its_node_limit_is_exact_and_whole()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            var costs = Enumerable.Range(0, 7).Select(_ => 0.3 + random.NextDouble()).ToArray();
            var weights = Enumerable.Range(0, 7).Select(_ => random.NextDouble() - 0.2).ToArray();
            double budget = 3 * random.NextDouble();
            var problem = new SelectionProblem([weights.Select(w => Math.Max(w, 0)).ToArray()], [budget], costs, lambda: 0);
            var solution = new double[costs.Length];

            double value = new ClientKnapsack(costs).UpperBound(weights, budget, solution, nodeLimit: int.MaxValue);

            Assert.Equal(BruteForceSelection.BestKnapsack(problem, 0), value, tolerance: 1e-12);
            Assert.All(solution, x => Assert.True(x is 0 or 1));
            Assert.True(BudgetFill.Cost(solution.Select(x => x == 1).ToArray(), costs) <= budget + SelectionProblem.BudgetTolerance);
            Assert.Equal(value, solution.Select((x, l) => x * weights[l]).Sum(), tolerance: 1e-12);
        }
    }
}
