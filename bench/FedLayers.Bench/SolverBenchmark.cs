using System.Globalization;
using FedLayers.Selection.Solver;

namespace FedLayers.Bench;

/// <summary>
/// The selection solver against the plain CP-SAT model at equal wall-clock time, on random
/// instances: per size and lambda scale, median seconds and median certified gap of both, and
/// their ratios, all measured in one run.
/// <para>
/// Instances: g_il = a_l b_il with a_l (the layer's profile, shared by the clients) and b_il (the
/// client's variation) both lognormal(0, 1), so g is heavy-tailed and clients broadly agree on
/// which layers matter. Budgets are 1 to 4 layers, every layer costs 1. Lambda = c G / K with G
/// the mean client gradient mass, as in <see cref="LambdaNormalization"/>: then one client taking
/// a layer nobody else takes pays about c G, so c = 0.01 barely couples the clients, c = 0.1
/// trades a tenth of a client's mass for agreement and c = 1 makes agreement dominate.
/// </para>
/// </summary>
public static class SolverBenchmark
{
    private static readonly (int Clients, int Layers, double Seconds)[] Sizes = [(20, 12, 0.1), (100, 24, 1), (1000, 48, 10)];
    private static readonly double[] LambdaScales = [0.01, 0.1, 1];

    public static void Run(int instances, TextWriter output)
    {
        output.WriteLine($"{instances} instances per row, medians. gap = (bound - objective) / |bound|; 'none': CP-SAT found no");
        output.WriteLine("solution in the time limit on most instances. gain = (solver objective - CP-SAT objective) / |solver objective|.");
        output.WriteLine("gap ratio = CP-SAT gap / solver gap, both floored at 1e-9 (the optimality threshold).");
        output.WriteLine();
        output.WriteLine("| K x L | c | limit s | solver s | solver gap | solver optimal | CP-SAT s | CP-SAT gap | CP-SAT optimal | objective gain | gap ratio |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (clients, layers, seconds) in Sizes)
            foreach (double scale in LambdaScales)
            {
                var ours = new List<SelectionSolution>();
                var plain = new List<SelectionSolution?>();
                for (int seed = 0; seed < instances; seed++)
                {
                    var problem = Instance(clients, layers, scale, seed);
                    ours.Add(new LayerSelectionSolver(seconds).Solve(problem));
                    plain.Add(PlainCpSat(problem, seconds));
                }
                // No solution counts as an infinite gap and a gain of 100 % (nothing to compare with).
                double ourGap = TrainingBench.Statistics.Median(ours.Select(s => s.Gap));
                double plainGap = TrainingBench.Statistics.Median(plain.Select(s => s?.Gap ?? double.PositiveInfinity));
                double gain = TrainingBench.Statistics.Median(ours.Zip(plain, (a, b) => b is null ? 1 : (a.Objective - b.Objective) / Math.Abs(a.Objective)));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {clients} x {layers} | {scale} | {seconds} | {TrainingBench.Statistics.Median(ours.Select(s => s.Seconds)):F3} | {Gap(ourGap)} | {ours.Count(s => s.IsOptimal)}/{instances} " +
                    $"| {TrainingBench.Statistics.Median(plain.Select(s => s?.Seconds ?? seconds)):F3} | {Gap(plainGap)} | {plain.Count(s => s is { IsOptimal: true })}/{instances} " +
                    $"| {gain * 100:F2} % | {GapRatio(plainGap, ourGap)} |"));
            }
    }

    /// <summary>
    /// Unequal layer costs (uniform in [0.5, 1.5], budgets uniform in [1, 4]): the solver with only the
    /// budget relaxation as its bound against the solver that also runs the Lagrangian decomposition,
    /// at the same limits. CP-SAT is left out of both (<c>cpSatWork: 0</c>) so the table shows what the
    /// dual bounds alone prove.
    /// </summary>
    public static void RunUnequalCosts(int instances, TextWriter output)
    {
        output.WriteLine($"Unequal costs: {instances} instances per row, medians; 'relaxation' = budget relaxation only, 'decomposition' = with the Lagrangian decomposition.");
        output.WriteLine();
        output.WriteLine("| K x L | c | limit s | relaxation s | relaxation gap | decomposition s | decomposition gap | decomposition optimal | gap ratio |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (clients, layers, seconds) in Sizes)
            foreach (double scale in LambdaScales)
            {
                var relaxation = new List<SelectionSolution>();
                var decomposition = new List<SelectionSolution>();
                for (int seed = 0; seed < instances; seed++)
                {
                    var problem = Instance(clients, layers, scale, seed, unequalCosts: true);
                    relaxation.Add(new LayerSelectionSolver(seconds, cpSatWork: 0, decomposeUnequalCosts: false).Solve(problem));
                    decomposition.Add(new LayerSelectionSolver(seconds, cpSatWork: 0).Solve(problem));
                }
                double relaxationGap = TrainingBench.Statistics.Median(relaxation.Select(s => s.Gap));
                double decompositionGap = TrainingBench.Statistics.Median(decomposition.Select(s => s.Gap));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {clients} x {layers} | {scale} | {seconds} | {TrainingBench.Statistics.Median(relaxation.Select(s => s.Seconds)):F3} | {Gap(relaxationGap)} " +
                    $"| {TrainingBench.Statistics.Median(decomposition.Select(s => s.Seconds)):F3} | {Gap(decompositionGap)} | {decomposition.Count(s => s.IsOptimal)}/{instances} " +
                    $"| {GapRatio(relaxationGap, decompositionGap)} |"));
            }
    }

    /// <summary>The plain CP-SAT model, or null when it returns no solution within the limit
    /// (at 1000 x 48 its presolve alone can take longer).</summary>
    private static SelectionSolution? PlainCpSat(SelectionProblem problem, double seconds)
    {
        try
        {
            return new CpSatSelectionSolver(seconds).Solve(problem);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string GapRatio(double plainGap, double ourGap) =>
        double.IsFinite(plainGap)
            ? (Math.Max(plainGap, SelectionSolution.OptimalGap) / Math.Max(ourGap, SelectionSolution.OptimalGap)).ToString("G3", CultureInfo.InvariantCulture)
            : "inf";

    private static string Gap(double gap) => double.IsFinite(gap) ? gap.ToString("0.00E+0", CultureInfo.InvariantCulture) : "none";

    public static SelectionProblem Instance(int clients, int layers, double lambdaScale, int seed, bool unequalCosts = false)
    {
        var random = new Random(seed * 7919 + clients * 31 + layers);
        var profile = Enumerable.Range(0, layers).Select(_ => LogNormal(random)).ToArray();
        var gradients = Enumerable.Range(0, clients)
            .Select(_ => (IReadOnlyList<double>)profile.Select(a => a * LogNormal(random)).ToArray())
            .ToList();
        var budgets = Enumerable.Range(0, clients).Select(_ => unequalCosts ? 1 + 3 * random.NextDouble() : random.Next(1, 5)).ToList();
        var costs = Enumerable.Range(0, layers).Select(_ => unequalCosts ? 0.5 + random.NextDouble() : 1.0).ToList();
        double meanMass = gradients.Average(row => row.Sum());
        return new SelectionProblem(gradients, budgets, costs, lambdaScale * meanMass / clients);
    }

    private static double LogNormal(Random random)
    {
        // Box-Muller: a standard normal from two uniforms.
        double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Exp(normal);
    }
}
