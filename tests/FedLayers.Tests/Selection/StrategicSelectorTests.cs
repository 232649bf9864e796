using FedLayers.Selection;
using FedLayers.Selection.Solver;
using Xunit.Abstractions;

namespace FedLayers.Tests.Selection;

public class StrategicSelectorTests(ITestOutputHelper output)
{
    private static readonly LayerSelectionSolver Solver = new(timeLimitSeconds: 60);

    public static TheoryData<int> TinySeeds => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(TinySeeds))]
    public void The_solver_matches_the_brute_force_optimum_on_tiny_instances(int seed)
    {
        var problem = TinyProblem(seed);

        var solution = Solver.Solve(problem);
        double optimum = BruteForceSelection.OptimalObjective(problem);

        Assert.True(problem.IsFeasible(solution.Masks));
        Assert.Equal(SelectionSolution.OptimalStatus, solution.Status);
        Assert.Equal(optimum, solution.Objective, 1e-6 * Math.Max(1, Math.Abs(optimum)));
        Assert.Equal(problem.Objective(solution.Masks), solution.Objective);
        Assert.True(solution.Bound >= optimum, $"bound {solution.Bound} below the optimum {optimum}");
    }

    [Fact]
    public void Objective_equals_the_pairwise_disagreement_form()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            int clients = random.Next(1, 7), layers = random.Next(1, 9);
            var gradients = Matrix(clients, layers, (_, _) => random.NextDouble() * 10);
            var masks = Enumerable.Range(0, clients).Select(_ => Enumerable.Range(0, layers).Select(_ => random.Next(2) == 1).ToArray()).ToArray();
            double lambda = random.NextDouble() * 3;
            var problem = new SelectionProblem(gradients, Enumerable.Repeat((double)layers, clients).ToList(), Enumerable.Repeat(1.0, layers).ToList(), lambda);

            double pairwise = 0, reward = 0;
            for (int l = 0; l < layers; l++)
            {
                for (int i = 0; i < clients; i++)
                {
                    if (masks[i][l]) reward += gradients[i][l];
                    for (int j = i + 1; j < clients; j++)
                    {
                        int difference = (masks[i][l] ? 1 : 0) - (masks[j][l] ? 1 : 0);
                        pairwise += difference * difference;
                    }
                }
            }

            Assert.Equal(reward - lambda * pairwise, problem.Objective(masks), 1e-9);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    [InlineData(0.3)]
    public void Twenty_clients_and_twelve_layers_solve_to_optimality(double lambda)
    {
        var problem = LambdaNormalization.Apply(ReferenceProblem(seed: 42, lambda));

        var solution = Solver.Solve(problem);

        output.WriteLine($"lambda {lambda}: {solution.Status}, gap {solution.Gap:E2}, {solution.Seconds:F2} s");
        Assert.Equal(SelectionSolution.OptimalStatus, solution.Status);
        Assert.InRange(solution.Gap, 0, 1e-5);
        Assert.True(problem.IsFeasible(solution.Masks));
    }

    [Theory]
    [InlineData(1000.0)] // a loss scale
    [InlineData(7.0)]    // seven probe batches instead of one
    public void Scaling_every_gradient_leaves_the_masks_unchanged(double factor)
    {
        var (gradients, budgets) = ClientProfiles(seed: 3, clients: 10, layers: 8);
        var scaled = gradients.Select(row => row.Select(g => g * factor).ToArray()).ToArray();
        var selector = new StrategicSelector(lambda: 0.2);

        var masks = selector.Select(Context(gradients, budgets));
        var scaledMasks = selector.Select(Context(scaled, budgets));

        Assert.Equal(masks, scaledMasks);
        Assert.Contains(masks, m => m.Count(taken => taken) > 0);
    }

    [Fact]
    public void Large_lambda_makes_every_client_train_the_same_layers()
    {
        var (gradients, budgets) = ClientProfiles(seed: 5, clients: 6, layers: 6);
        int commonBudget = (int)budgets.Min();

        var masks = new StrategicSelector(lambda: 100).Select(Context(gradients, budgets));

        // Agreeing costs nothing, so the best common choice is the commonBudget layers with the
        // largest summed gradient: affordable for every client.
        var columnSums = Enumerable.Range(0, 6).Select(l => gradients.Sum(row => row[l])).ToArray();
        var expected = BudgetFill.TakeInOrder(BudgetFill.ByDescendingScore(columnSums), Enumerable.Repeat(1.0, 6).ToList(), commonBudget);
        Assert.All(masks, mask => Assert.Equal(expected, mask));
    }

    [Fact]
    public void Lambda_zero_gives_every_client_its_own_top_layers()
    {
        var (gradients, budgets) = ClientProfiles(seed: 6, clients: 12, layers: 10);
        var costs = Enumerable.Repeat(1.0, 10).ToList();

        var masks = new StrategicSelector(lambda: 0).Select(Context(gradients, budgets));

        for (int i = 0; i < gradients.Length; i++)
            Assert.Equal(BudgetFill.TakeInOrder(BudgetFill.ByDescendingScore(gradients[i]), costs, budgets[i]), masks[i]);
        Assert.True(masks.Select(m => string.Concat(m.Select(b => b ? '1' : '0'))).Distinct().Count() > 1,
            "the instance should give clients different top layers");
    }

    [Fact]
    public void The_same_input_gives_the_same_masks()
    {
        // Whole-number gradients tie often, so many selections are optimal and the solver must
        // pick the same one every time.
        var random = new Random(11);
        var gradients = Matrix(10, 8, (_, _) => random.Next(3));
        var budgets = Enumerable.Range(0, 10).Select(_ => (double)random.Next(1, 4)).ToList();
        var context = Context(gradients, budgets);

        var first = new StrategicSelector(lambda: 0.1).Select(context);
        var second = new StrategicSelector(lambda: 0.1).Select(context);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Several_deterministic_workers_give_the_same_masks_every_time()
    {
        var random = new Random(12);
        var problem = LambdaNormalization.Apply(new SelectionProblem(
            Matrix(8, 6, (_, _) => random.Next(3)),
            Enumerable.Range(0, 8).Select(_ => (double)random.Next(1, 4)).ToList(),
            Enumerable.Repeat(1.0, 6).ToList(),
            lambda: 0.1));
        var solver = new CpSatSelectionSolver(timeLimitSeconds: 60, workers: 2);

        var first = solver.Solve(problem);
        var second = solver.Solve(problem);

        Assert.Equal(SelectionSolution.OptimalStatus, first.Status);
        Assert.Equal(first.Masks, second.Masks);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void The_parallel_portfolio_also_reaches_the_brute_force_optimum(int seed)
    {
        var problem = TinyProblem(seed);

        var solution = new CpSatSelectionSolver(timeLimitSeconds: 60, workers: 2, deterministic: false).Solve(problem);

        Assert.Equal(BruteForceSelection.OptimalObjective(problem), solution.Objective, 1e-6);
        Assert.True(problem.IsFeasible(solution.Masks));
    }

    [Fact]
    public void Normalisation_divides_by_the_mean_client_mass_and_lambda_by_K()
    {
        double[][] gradients = [[1, 3], [2, 2], [0, 4]]; // masses 4, 4, 4: G = 4
        var raw = new SelectionProblem(gradients, [1, 1, 1], [1, 1], lambda: 0.6);

        var normalized = LambdaNormalization.Apply(raw);

        Assert.Equal(0.2, normalized.Lambda, 1e-15);
        Assert.Equal(0.25, normalized.Gradient(0, 0), 1e-15);
        Assert.Equal(1.0, normalized.Gradient(2, 1), 1e-15);
        Assert.Equal(raw.Budgets, normalized.Budgets);
        Assert.Equal(raw.Costs, normalized.Costs);
    }

    [Fact]
    public void All_zero_gradients_solve_to_a_zero_objective_with_no_gap()
    {
        var raw = new SelectionProblem(Matrix(4, 3, (_, _) => 0), [1, 2, 1, 3], [1, 1, 1], lambda: 0);

        var problem = LambdaNormalization.Apply(raw);
        var solution = Solver.Solve(problem);

        Assert.Equal(0, problem.Gradient(1, 2));
        Assert.Equal(SelectionSolution.OptimalStatus, solution.Status);
        Assert.Equal(0, solution.Objective);
        Assert.Equal(0, solution.Gap);
    }

    [Fact]
    public void Fractional_costs_that_fill_a_budget_exactly_are_selected()
    {
        var problem = new SelectionProblem([[1, 1, 1, 0.5]], [0.6], [0.1, 0.2, 0.3, 0.4], lambda: 0);

        var solution = Solver.Solve(problem);

        Assert.Equal([true, true, true, false], solution.Masks[0]);
        Assert.Equal(3, solution.Objective, 1e-12);
    }

    [Fact]
    public void Parameter_counts_as_costs_are_respected_exactly()
    {
        const double block = 7_087_872; // parameters of one BERT-base block
        var problem = new SelectionProblem([[4, 3, 2, 1], [1, 2, 3, 4]], [2 * block, 2 * block - 1], [block, block, block, block], lambda: 0);

        var solution = Solver.Solve(problem);

        Assert.Equal([true, true, false, false], solution.Masks[0]);
        Assert.Equal([false, false, false, true], solution.Masks[1]);
    }

    [Fact]
    public void The_callback_receives_the_solution_behind_the_returned_masks()
    {
        var (gradients, budgets) = ClientProfiles(seed: 8, clients: 5, layers: 4);
        SelectionSolution? reported = null;
        var selector = new StrategicSelector(lambda: 0.1, timeLimitSeconds: 60, onSolved: s => reported = s);

        var masks = selector.Select(Context(gradients, budgets));

        Assert.NotNull(reported);
        Assert.Same(reported.Masks, masks);
        Assert.True(reported.Bound >= reported.Objective);
        Assert.Equal("strategic", selector.Name);
        Assert.True(selector.NeedsProbe);
    }

    [Fact]
    public void A_solve_stopped_by_the_time_limit_is_used_and_reported_as_feasible()
    {
        var (gradients, budgets) = ClientProfiles(seed: 9, clients: 300, layers: 24);
        SelectionSolution? reported = null;
        var selector = new StrategicSelector(lambda: 0.1, timeLimitSeconds: 1e-6, onSolved: s => reported = s);

        var masks = selector.Select(Context(gradients, budgets));

        Assert.NotNull(reported);
        Assert.Same(reported.Masks, masks);
        Assert.Equal(SelectionSolution.FeasibleStatus, reported.Status);
        Assert.True(reported.Gap > SelectionSolution.OptimalGap);
        for (int i = 0; i < masks.Count; i++) Assert.True(masks[i].Count(taken => taken) <= budgets[i]);
    }

    [Fact]
    public void Invalid_inputs_are_rejected_with_the_reason()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StrategicSelector(lambda: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelectionProblem([[1, -2]], [1], [1, 1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelectionProblem([[1, double.NaN]], [1], [1, 1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelectionProblem([[1, 2]], [1], [1, 0], 0));
        Assert.Throws<ArgumentException>(() => new SelectionProblem([[1, 2]], [1, 1], [1, 1], 0));

        var probeForOneOfTwoClients = Context([[1, 2]], [1]) with { ClientIds = [0, 1], Budgets = [1, 1] };
        Assert.Throws<InvalidOperationException>(() => new StrategicSelector(lambda: 0.1).Select(probeForOneOfTwoClients));
    }

    private static SelectionProblem TinyProblem(int seed)
    {
        var random = new Random(seed);
        int clients = seed % 5 == 4 ? 4 : 3, layers = 4;
        // Cycle through unit, whole non-unit and fractional costs, and through the lambdas.
        var costs = (seed % 3) switch
        {
            0 => Enumerable.Repeat(1.0, layers).ToList(),
            1 => Enumerable.Range(0, layers).Select(_ => (double)random.Next(1, 4)).ToList(),
            _ => Enumerable.Range(0, layers).Select(_ => 0.25 + 1.75 * random.NextDouble()).ToList(),
        };
        var budgets = Enumerable.Range(0, clients)
            .Select(_ => seed % 3 == 2 ? 0.5 + 2.5 * random.NextDouble() : random.Next(1, 4))
            .ToList();
        // Some layers matter to nobody (g = 0), as the frozen ones do in practice.
        var gradients = Matrix(clients, layers, (_, _) => random.Next(6) == 0 ? 0 : Math.Pow(random.NextDouble(), 2));
        double lambda = new[] { 0, 0.02, 0.2, 2 }[seed / 3 % 4];
        return new SelectionProblem(gradients, budgets, costs, lambda);
    }

    /// <summary>The reference setup: 20 clients, 12 blocks, budgets 1..4 layers.</summary>
    private static SelectionProblem ReferenceProblem(int seed, double lambda)
    {
        var (gradients, budgets) = ClientProfiles(seed, clients: 20, layers: 12);
        return new SelectionProblem(gradients, budgets, Enumerable.Repeat(1.0, 12).ToList(), lambda);
    }

    /// <summary>Gradients with a layer profile shared by all clients times a per-client factor in
    /// [1/e, e], and budgets of 1..4 layers.</summary>
    private static (double[][] Gradients, List<double> Budgets) ClientProfiles(int seed, int clients, int layers)
    {
        var random = new Random(seed);
        var profile = Enumerable.Range(0, layers).Select(_ => random.NextDouble()).ToArray();
        var gradients = Matrix(clients, layers, (_, l) => profile[l] * Math.Exp(random.NextDouble() * 2 - 1));
        var budgets = Enumerable.Range(0, clients).Select(_ => (double)random.Next(1, 5)).ToList();
        return (gradients, budgets);
    }

    /// <summary>A round in which every layer costs 1 and the probe returns <paramref name="gradients"/>.</summary>
    private static SelectionContext Context(double[][] gradients, IReadOnlyList<double> budgets)
    {
        var probes = gradients.Select(g => new LayerProbe(g, new double[g.Length], new double[g.Length], Batches: 1, g)).ToList();
        return new SelectionContext(
            Round: 1,
            ClientIds: Enumerable.Range(0, gradients.Length).ToList(),
            Budgets: budgets,
            LayerCosts: Enumerable.Repeat(1.0, gradients[0].Length).ToList(),
            PreviousMasks: new Dictionary<int, bool[]>(),
            Probe: () => probes);
    }

    private static double[][] Matrix(int clients, int layers, Func<int, int, double> value) =>
        Enumerable.Range(0, clients).Select(i => Enumerable.Range(0, layers).Select(l => value(i, l)).ToArray()).ToArray();
}
