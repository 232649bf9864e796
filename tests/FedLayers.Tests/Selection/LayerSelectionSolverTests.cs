using FedLayers.Selection;
using FedLayers.Selection.Solver;

namespace FedLayers.Tests.Selection;

public class LayerSelectionSolverTests
{
    private static readonly LayerSelectionSolver Solver = new(timeLimitSeconds: 60);

    public enum CostMode { Unit, Whole, Fractional }

    public static TheoryData<int, CostMode, double> TinyCases()
    {
        var cases = new TheoryData<int, CostMode, double>();
        foreach (var mode in Enum.GetValues<CostMode>())
            foreach (double lambda in new[] { 0, 0.03, 0.3, 3, 1000 })
                for (int seed = 0; seed < 4; seed++)
                    cases.Add(seed, mode, lambda);
        return cases;
    }

    [Theory]
    [MemberData(nameof(TinyCases))]
    public void The_bound_holds_and_optimal_means_the_brute_force_optimum(int seed, CostMode mode, double lambda)
    {
        var problem = TinyProblem(seed, mode, lambda);

        var solution = Solver.Solve(problem);
        double optimum = BruteForceSelection.OptimalObjective(problem);
        double tolerance = 1e-9 * Math.Max(1, Math.Abs(optimum));

        Assert.True(problem.IsFeasible(solution.Masks));
        Assert.Equal(problem.Objective(solution.Masks), solution.Objective);
        Assert.True(solution.Objective <= optimum + tolerance);
        Assert.True(solution.Bound >= optimum, $"bound {solution.Bound} below the optimum {optimum}");
        Assert.Equal(SelectionSolution.RelativeGap(solution.Bound, solution.Objective), solution.Gap);
        if (solution.IsOptimal) Assert.Equal(optimum, solution.Objective, tolerance);
        else Assert.True(solution.Gap > SelectionSolution.OptimalGap);
        // Whole costs let CP-SAT close whatever gap the dual bound leaves on a tiny instance.
        if (mode != CostMode.Fractional) Assert.True(solution.IsOptimal, $"gap {solution.Gap}");
    }

    [Theory]
    [InlineData(CostMode.Unit)]
    [InlineData(CostMode.Whole)]
    [InlineData(CostMode.Fractional)]
    public void Lambda_zero_gives_each_client_its_best_knapsack(CostMode mode)
    {
        for (int seed = 10; seed < 20; seed++)
        {
            var problem = TinyProblem(seed, mode, lambda: 0);

            var solution = Solver.Solve(problem);

            for (int i = 0; i < problem.ClientCount; i++)
            {
                double taken = Enumerable.Range(0, problem.LayerCount).Where(l => solution.Masks[i][l]).Sum(l => problem.Gradient(i, l));
                Assert.Equal(BruteForceSelection.BestKnapsack(problem, i), taken, 1e-12);
            }
            Assert.True(solution.IsOptimal);
        }
    }

    [Fact]
    public void A_huge_lambda_puts_every_client_on_the_same_layers_when_budgets_allow()
    {
        var random = new Random(21);
        int clients = 30, layers = 10;
        var gradients = Matrix(clients, layers, (_, _) => Math.Exp(2 * random.NextDouble()));
        var problem = new SelectionProblem(gradients, Enumerable.Repeat(3.0, clients).ToList(), Enumerable.Repeat(1.0, layers).ToList(), lambda: 1000);

        var solution = Solver.Solve(problem);

        var columnSums = Enumerable.Range(0, layers).Select(l => gradients.Sum(row => row[l])).ToArray();
        var expected = BudgetFill.TakeInOrder(BudgetFill.ByDescendingScore(columnSums), problem.Costs, 3);
        Assert.All(solution.Masks, mask => Assert.Equal(expected, mask));
        Assert.True(solution.IsOptimal, $"gap {solution.Gap}");
    }

    [Fact]
    public void Zero_budgets_take_nothing_and_are_proven_optimal()
    {
        var problem = new SelectionProblem([[1, 2, 3], [3, 2, 1]], [0, 0], [1, 1, 1], lambda: 0.5);

        var solution = Solver.Solve(problem);

        Assert.All(solution.Masks, mask => Assert.DoesNotContain(true, mask));
        Assert.Equal(0, solution.Objective);
        Assert.True(solution.IsOptimal, $"bound {solution.Bound}");
    }

    [Fact]
    public void One_client_without_budget_keeps_a_large_lambda_from_any_layer()
    {
        // Every layer would be left by at least that client, so each one costs lambda (K - 1) or more.
        var problem = new SelectionProblem([[1, 2, 3], [3, 2, 1], [2, 2, 2]], [2, 2, 0], [1, 1, 1], lambda: 100);

        var solution = Solver.Solve(problem);

        Assert.All(solution.Masks, mask => Assert.DoesNotContain(true, mask));
        Assert.True(solution.IsOptimal, $"bound {solution.Bound}");
    }

    [Fact]
    public void All_zero_gradients_give_a_zero_objective_with_no_gap()
    {
        var problem = new SelectionProblem(Matrix(4, 3, (_, _) => 0), [1, 2, 1, 3], [1, 1, 1], lambda: 0.2);

        var solution = Solver.Solve(problem);

        Assert.Equal(0, solution.Objective);
        Assert.Equal(0, solution.Bound);
        Assert.Equal(0, solution.Gap);
        Assert.True(solution.IsOptimal);
    }

    [Fact]
    public void Budgets_are_never_exceeded_by_fractional_costs()
    {
        for (int seed = 30; seed < 60; seed++)
        {
            var random = new Random(seed);
            int clients = random.Next(5, 40), layers = random.Next(3, 20);
            var costs = Enumerable.Range(0, layers).Select(_ => 0.1 + random.NextDouble()).ToList();
            var budgets = Enumerable.Range(0, clients).Select(_ => 3 * random.NextDouble()).ToList();
            var problem = new SelectionProblem(Matrix(clients, layers, (_, _) => random.NextDouble()), budgets, costs, lambda: random.NextDouble());

            var solution = Solver.Solve(problem);

            for (int i = 0; i < clients; i++)
                Assert.True(BudgetFill.Cost(solution.Masks[i], costs) <= budgets[i], $"client {i} of seed {seed}");
        }
    }

    [Fact]
    public void The_same_input_gives_the_same_solution()
    {
        // Whole-number gradients tie often, so many selections are optimal and the solver must
        // pick the same one every time.
        var random = new Random(11);
        var problem = new SelectionProblem(
            Matrix(40, 12, (_, _) => random.Next(3)),
            Enumerable.Range(0, 40).Select(_ => (double)random.Next(1, 4)).ToList(),
            Enumerable.Repeat(1.0, 12).ToList(),
            lambda: 0.05);

        var first = Solver.Solve(problem);
        var second = new LayerSelectionSolver(timeLimitSeconds: 60).Solve(problem);

        Assert.Equal(first.Masks, second.Masks);
        Assert.Equal(first.Bound, second.Bound);
    }

    [Fact]
    public void A_solve_cut_short_by_the_time_limit_returns_feasible_masks_with_an_honest_gap()
    {
        var random = new Random(5);
        int clients = 300, layers = 24;
        var problem = new SelectionProblem(
            Matrix(clients, layers, (_, _) => Math.Exp(3 * random.NextDouble())),
            Enumerable.Range(0, clients).Select(_ => (double)random.Next(1, 5)).ToList(),
            Enumerable.Repeat(1.0, layers).ToList(),
            lambda: 0.05);

        var solution = new LayerSelectionSolver(timeLimitSeconds: 1e-6).Solve(problem);

        Assert.True(problem.IsFeasible(solution.Masks));
        Assert.Equal(SelectionSolution.FeasibleStatus, solution.Status);
        Assert.True(solution.Gap > SelectionSolution.OptimalGap);
        Assert.True(solution.Bound >= solution.Objective);
    }

    [Fact]
    public void Whole_knapsacks_close_the_gap_that_pricing_budgets_leaves_with_unequal_costs()
    {
        // Budget 1 holds one of the layers of cost 0.6 and 0.7, but priced out it pays for more:
        // the relaxation's best bound is 1 / 0.7 + (1 - 0.6 / 0.7) = 1.57.
        var problem = new SelectionProblem([[1, 1]], [1], [0.6, 0.7], lambda: 0);

        var relaxed = new LayerSelectionSolver(cpSatWork: 0, decomposeUnequalCosts: false).Solve(problem);
        var decomposed = new LayerSelectionSolver(cpSatWork: 0).Solve(problem);

        Assert.Equal(1, relaxed.Objective);
        Assert.True(relaxed.Bound >= 1.5, $"bound {relaxed.Bound}");
        Assert.Equal(1, decomposed.Objective);
        Assert.True(decomposed.IsOptimal, $"bound {decomposed.Bound}");
    }

    [Fact]
    public void Equal_fractional_costs_bound_a_budget_by_the_whole_layers_it_holds()
    {
        // Budget 1 holds one layer of cost 0.6: the relaxation charges for 0.6, not for 1.
        var problem = new SelectionProblem([[1, 1], [2, 0.5]], [1, 1.9], [0.6, 0.6], lambda: 0.1);

        var solution = new LayerSelectionSolver(cpSatWork: 0, decomposeUnequalCosts: false).Solve(problem);

        Assert.True(solution.IsOptimal, $"bound {solution.Bound}, objective {solution.Objective}");
        Assert.Equal(BruteForceSelection.OptimalObjective(problem), solution.Objective, tolerance: 1e-12);
    }

    [Fact]
    public void The_decomposition_bound_holds_never_exceeds_the_relaxation_and_leaves_the_masks_alone()
    {
        foreach (double lambda in new[] { 0, 0.03, 0.3, 3 })
            for (int seed = 0; seed < 12; seed++)
            {
                var problem = TinyProblem(seed, CostMode.Fractional, lambda);

                var relaxed = new LayerSelectionSolver(cpSatWork: 0, decomposeUnequalCosts: false).Solve(problem);
                var decomposed = new LayerSelectionSolver(cpSatWork: 0).Solve(problem);
                double optimum = BruteForceSelection.OptimalObjective(problem);

                Assert.True(decomposed.Bound >= optimum, $"seed {seed}, lambda {lambda}: bound {decomposed.Bound} below the optimum {optimum}");
                Assert.True(decomposed.Bound <= relaxed.Bound, $"seed {seed}, lambda {lambda}: {decomposed.Bound} above {relaxed.Bound}");
                Assert.Equal(relaxed.Masks, decomposed.Masks);
            }
    }

    [Fact]
    public void Invalid_limits_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerSelectionSolver(timeLimitSeconds: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerSelectionSolver(dualIterations: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerSelectionSolver(cpSatWork: double.NaN));
    }

    /// <summary>K in 1..5 and L in 1..5, budgets small enough that brute force stays fast, some
    /// gradients zero (as for layers that do not matter), costs by <paramref name="mode"/>.</summary>
    private static SelectionProblem TinyProblem(int seed, CostMode mode, double lambda)
    {
        var random = new Random(seed * 31 + (int)mode);
        int clients = random.Next(1, 6), layers = random.Next(1, 6);
        var costs = mode switch
        {
            CostMode.Unit => Enumerable.Repeat(1.0, layers).ToList(),
            CostMode.Whole => Enumerable.Range(0, layers).Select(_ => (double)random.Next(1, 4)).ToList(),
            _ => Enumerable.Range(0, layers).Select(_ => 0.25 + 1.75 * random.NextDouble()).ToList(),
        };
        var budgets = Enumerable.Range(0, clients)
            .Select(_ => mode == CostMode.Fractional ? 2.5 * random.NextDouble() : random.Next(0, 3))
            .ToList();
        var gradients = Matrix(clients, layers, (_, _) => random.Next(6) == 0 ? 0 : Math.Pow(random.NextDouble(), 2));
        return new SelectionProblem(gradients, budgets, costs, lambda);
    }

    private static double[][] Matrix(int clients, int layers, Func<int, int, double> value) =>
        Enumerable.Range(0, clients).Select(i => Enumerable.Range(0, layers).Select(l => value(i, l)).ToArray()).ToArray();
}
