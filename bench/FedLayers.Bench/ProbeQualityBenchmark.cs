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
/// 32). Cheap probes of a few batches are drawn, the round's problem (the default lambda and the clients' budgets) is solved on
/// them, and their masks are scored by the reference objective over the reference's optimum: 1 means the selection is worth
/// what the reference's is. Prints one row per probe size, then <c>probe_selection_quality</c> for the default probe size.
/// </summary>
public static class ProbeQualityBenchmark
{
    private const int RoundSize = 5, Draws = 3, ReferenceBatchSize = 32;
    private static readonly int[] BatchCounts = [1, 2, 5];

    /// <summary>Scores the probe sizes at the starting weights and at each checkpoint.</summary>
    /// <param name="checkpoints">checkpoint files written by <c>simulate</c> on the default configuration.</param>
    /// <param name="output">where the table and the figure go.</param>
    public static void Run(IReadOnlyList<string> checkpoints, TextWriter output)
    {
        var config = RunConfig.Defaults()
            .With(RunSettings.Out, Directory.CreateTempSubdirectory("fedlayers-probe-").FullName);
        using var data = DataLoading.Load(config);
        using var setup = FederationSetup.Build(config, data, _ => { });
        using var global = ModelState.Capture(setup.Model);
        using var prober = FederationSetup.ProberOf(setup.Config, setup.Model, setup.Device);
        double lambda = config.Get(BuiltInStrategies.Lambda);
        int batchSize = config.Get(RunSettings.BatchSize), defaultBatches = config.Get(RunSettings.ProbeBatches);
        var solver = new LayerSelectionSolver();
        var qualities = BatchCounts.ToDictionary(k => k, _ => new List<double>());
        var seconds = BatchCounts.ToDictionary(k => k, _ => new List<double>());

        foreach (var weights in new string?[] { null }.Concat(checkpoints))
        {
            if (weights is not null) RunCheckpoint.Read(weights, global, config.Get(RunSettings.Seed), setup.Budgets);
            for (int first = 0; first + RoundSize <= setup.Shards.Count; first += RoundSize)
            {
                var clients = Enumerable.Range(first, RoundSize).ToList();
                SelectionProblem ProblemOf(IEnumerable<IReadOnlyList<double>> g) =>
                    LambdaNormalization.Apply(new SelectionProblem(g.ToList(), [.. clients.Select(i => setup.Budgets[i])], setup.LayerCosts, lambda));
                var reference = ProblemOf(clients.Select(i =>
                {
                    var samples = setup.Shards[i];
                    int allBatches = (samples.Length + ReferenceBatchSize - 1) / ReferenceBatchSize;
                    return (IReadOnlyList<double>)prober.Probe(global, setup.Tensors.Train, samples, allBatches, ReferenceBatchSize, new Random(i))
                        .GradientMass(ProbeEstimator.Mean);
                }));
                double best = reference.Objective(solver.Solve(reference).Masks);
                foreach (int batches in BatchCounts)
                    for (int draw = 0; draw < Draws; draw++)
                    {
                        var cheap = ProblemOf(clients.Select(i =>
                        {
                            var clock = Stopwatch.StartNew();
                            var probe = prober.Probe(global, setup.Tensors.Train, setup.Shards[i], batches, batchSize, new Random(1000 * (i + 1) + draw));
                            seconds[batches].Add(clock.Elapsed.TotalSeconds);
                            return (IReadOnlyList<double>)probe.GradientMass(config.Get(RunSettings.ProbeEstimatorChoice));
                        }));
                        qualities[batches].Add(reference.Objective(solver.Solve(cheap).Masks) / best);
                    }
            }
        }
        output.WriteLine($"| probe batches | selection quality, mean over {qualities[1].Count} rounds and draws | worst | seconds per client probe (median) |");
        output.WriteLine("|---|---|---|---|");
        foreach (int batches in BatchCounts)
            output.WriteLine($"| {batches} | {qualities[batches].Average():F4} | {qualities[batches].Min():F4} | {TrainingBench.Statistics.Median(seconds[batches]):F3} |");
        output.WriteLine($"probe_selection_quality: {qualities[defaultBatches].Average():F4}");
        Directory.Delete(config.Get(RunSettings.Out)!, recursive: true);
    }
}
