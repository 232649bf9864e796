using System.Diagnostics;
using FedLayers.Federation;
using FedLayers.Selection;
using FedLayers.Selection.Solver;
using FedLayers.Setup;

namespace FedLayers.Bench;

/// <summary>
/// How few probe batches strategic selection needs (issue 18, docs/PERFORMANCE.md). On the default configuration, at
/// the starting weights and at the weights of each given checkpoint of that configuration (seed included), the 20 clients are taken as four
/// rounds of five; a client's reference g is the squared norm of its gradient averaged over one pass over all its data (batch
/// 32). Cheap probes of a few batches are drawn, the round's problem (a lambda and the clients' budgets) is solved on
/// them, and their masks are scored by the reference objective over the reference's optimum: 1 means the selection is worth
/// what the reference's is. Prints one row per probe size for the default lambda and estimator, then the same probes scored
/// at lambda 0, the default and 1 with each estimator, then <c>probe_selection_quality</c> for the default probe size.
/// </summary>
public static class ProbeQualityBenchmark
{
    private const int RoundSize = 5, Draws = 3, ReferenceBatchSize = 32;
    private static readonly int[] BatchCounts = [1, 2, 5];
    private static readonly ProbeEstimator[] Estimators = [ProbeEstimator.Mean, ProbeEstimator.BatchSum, ProbeEstimator.Unbiased];

    /// <summary>Scores the probe sizes at the starting weights and at each checkpoint.</summary>
    /// <param name="checkpoints">checkpoint files written by <c>simulate</c> on the default configuration.</param>
    /// <param name="output">where the tables and the figure go.</param>
    public static void Run(IReadOnlyList<string> checkpoints, TextWriter output)
    {
        var config = RunConfig.Defaults()
            .With(RunSettings.Out, Directory.CreateTempSubdirectory("fedlayers-probe-").FullName);
        using var data = DataLoading.Load(config);
        using var setup = FederationSetup.Build(config, data, _ => { });
        using var global = ModelState.Capture(setup.Model);
        using var prober = FederationSetup.ProberOf(setup.Config, setup.Model, setup.Device);
        double defaultLambda = config.Get(BuiltInStrategies.Lambda);
        double[] lambdas = [.. new[] { 0, defaultLambda, 1 }.Distinct()];
        var defaultEstimator = config.Get(RunSettings.ProbeEstimatorChoice);
        int batchSize = config.Get(RunSettings.BatchSize), defaultBatches = config.Get(RunSettings.ProbeBatches);
        var solver = new LayerSelectionSolver();
        var qualities = new Dictionary<(double Lambda, ProbeEstimator Estimator, int Batches), List<double>>();
        var seconds = BatchCounts.ToDictionary(k => k, _ => new List<double>());

        foreach (var weights in new string?[] { null }.Concat(checkpoints))
        {
            if (weights is not null) RunCheckpoint.Read(weights, global, config.Get(RunSettings.Seed), setup.Budgets);
            for (int first = 0; first + RoundSize <= setup.Shards.Count; first += RoundSize)
            {
                var clients = Enumerable.Range(first, RoundSize).ToList();
                var referenceMass = clients.Select(i =>
                {
                    var samples = setup.Shards[i];
                    int allBatches = (samples.Length + ReferenceBatchSize - 1) / ReferenceBatchSize;
                    return (IReadOnlyList<double>)prober.Probe(global, setup.Tensors.Train, samples, allBatches, ReferenceBatchSize, new Random(i))
                        .GradientMass(ProbeEstimator.Mean);
                }).ToList();
                // the cheap probes are drawn once and scored under every lambda and estimator: the comparison is on the same draws
                var cheapProbes = BatchCounts.SelectMany(batches => Enumerable.Range(0, Draws).Select(draw => (batches, Probes: clients.Select(i =>
                {
                    var clock = Stopwatch.StartNew();
                    var probe = prober.Probe(global, setup.Tensors.Train, setup.Shards[i], batches, batchSize, new Random(1000 * (i + 1) + draw));
                    seconds[batches].Add(clock.Elapsed.TotalSeconds);
                    return probe;
                }).ToList()))).ToList();
                foreach (double lambda in lambdas)
                {
                    SelectionProblem ProblemOf(IEnumerable<IReadOnlyList<double>> g) =>
                        LambdaNormalization.Apply(new SelectionProblem(g.ToList(), [.. clients.Select(i => setup.Budgets[i])], setup.LayerCosts, lambda));
                    var reference = ProblemOf(referenceMass);
                    double best = reference.Objective(solver.Solve(reference).Masks);
                    foreach (var (batches, probes) in cheapProbes)
                        foreach (var estimator in Estimators)
                        {
                            var cheap = ProblemOf(probes.Select(p => (IReadOnlyList<double>)p.GradientMass(estimator)));
                            var key = (lambda, estimator, batches);
                            if (!qualities.TryGetValue(key, out var list)) qualities[key] = list = [];
                            list.Add(reference.Objective(solver.Solve(cheap).Masks) / best);
                        }
                }
            }
        }
        var byDefault = BatchCounts.ToDictionary(b => b, b => qualities[(defaultLambda, defaultEstimator, b)]);
        output.WriteLine($"| probe batches | selection quality, mean over {byDefault[1].Count} rounds and draws | worst | seconds per client probe (median) |");
        output.WriteLine("|---|---|---|---|");
        foreach (int batches in BatchCounts)
            output.WriteLine($"| {batches} | {byDefault[batches].Average():F4} | {byDefault[batches].Min():F4} | {TrainingBench.Statistics.Median(seconds[batches]):F3} |");
        output.WriteLine();
        output.WriteLine($"| lambda | {string.Join(" | ", BatchCounts.Select(b => $"{b} batches: {string.Join(" / ", Estimators.Select(e => e.ToString()))}"))} |");
        output.WriteLine($"|---|{string.Concat(BatchCounts.Select(_ => "---|"))}");
        foreach (double lambda in lambdas)
            output.WriteLine($"| {lambda} | {string.Join(" | ", BatchCounts.Select(b => string.Join(" / ", Estimators.Select(e => $"{qualities[(lambda, e, b)].Average():F3}"))))} |");
        output.WriteLine($"probe_selection_quality: {byDefault[defaultBatches].Average():F4}");
        Directory.Delete(config.Get(RunSettings.Out)!, recursive: true);
    }
}
