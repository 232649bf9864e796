using FedLayers.Federation;
using FedLayers.Selection;
using FedLayers.Setup;

namespace FedLayers.Bench;

/// <summary>
/// The probe estimators against a large-sample reference (issue 17, docs/SELECTION.md): the default configuration (the
/// pretrained ResNet18 at 32 px on Fashion-MNIST, 20 clients, Dirichlet split, seed 1) at the starting weights. For each of the
/// first five clients the reference is the squared norm of the gradient averaged over one pass of batch 32 over all its
/// data; then 30 probes of 5 batches (the default) of 32 (the default) or 8 samples are drawn, and each estimator's per-layer profile (g divided by
/// its sum, what strategic's scale-free objective sees) is scored against the reference's: its L1 distance, the rank
/// correlation of the layers, and the reference mass that a client of budget 1 or 2 (lambda 0: its top layers by g) captures
/// over the most it could.
/// </summary>
public static class ProbeEstimatorBenchmark
{
    private const int Clients = 5, Draws = 30, ProbeBatches = 5, ReferenceBatchSize = 32;
    private static readonly int[] ProbeBatchSizes = [32, 8];

    /// <summary>Prints one markdown row per estimator.</summary>
    public static void Run(TextWriter output)
    {
        // eval mode: the mode SELECTION.md's table was measured in (every estimator is scored, so only the mode is pinned)
        var config = RunConfig.Defaults().With(RunSettings.Clients, 20).With(RunSettings.Seed, 1)
            .With(RunSettings.ProbeModeChoice, ProbeMode.Eval)
            .With(RunSettings.Out, Directory.CreateTempSubdirectory("fedlayers-probe-").FullName);
        using var data = DataLoading.Load(config);
        using var setup = FederationSetup.Build(config, data, _ => { });
        using var global = ModelState.Capture(setup.Model);
        using var prober = FederationSetup.ProberOf(setup.Config, setup.Model, setup.Device);
        var estimators = Enum.GetValues<ProbeEstimator>();
        var scores = new Dictionary<(int BatchSize, ProbeEstimator Estimator), List<(double Distance, double Rank, double Budget1, double Budget2)>>();
        for (int client = 0; client < Clients; client++)
        {
            var samples = setup.Shards[client];
            int allBatches = (samples.Length + ReferenceBatchSize - 1) / ReferenceBatchSize;
            var reference = Shares(prober.Probe(global, setup.Tensors.Train, samples, allBatches, ReferenceBatchSize, new Random(client)).MeanGradSquaredNorm);
            foreach (int batchSize in ProbeBatchSizes)
                for (int draw = 0; draw < Draws; draw++)
                {
                    var probe = prober.Probe(global, setup.Tensors.Train, samples, ProbeBatches, batchSize, new Random(1000 * (client + 1) + draw));
                    foreach (var estimator in estimators)
                    {
                        var profile = Shares(probe.GradientMass(estimator));
                        var score = (profile.Zip(reference, (a, b) => Math.Abs(a - b)).Sum(), Spearman(profile, reference),
                            Captured(profile, reference, 1), Captured(profile, reference, 2));
                        if (!scores.TryGetValue((batchSize, estimator), out var list)) scores[(batchSize, estimator)] = list = [];
                        list.Add(score);
                    }
                }
        }
        output.WriteLine($"| probe batch size | estimator | profile distance to the reference (L1, 0..2) | rank correlation with the reference | " +
                         "reference mass captured, budget 1 | budget 2 |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var ((batchSize, estimator), s) in scores)
            output.WriteLine($"| {batchSize} | {estimator} | {s.Average(x => x.Distance):F3} | {s.Average(x => x.Rank):F3} | " +
                             $"{s.Average(x => x.Budget1):P1} | {s.Average(x => x.Budget2):P1} |");
        Directory.Delete(config.Get(RunSettings.Out)!, recursive: true);
    }

    private static double[] Shares(double[] mass)
    {
        double total = mass.Sum();
        return [.. mass.Select(g => total > 0 ? g / total : 1.0 / mass.Length)];
    }

    /// <summary>The reference mass of the <paramref name="budget"/> layers with the largest estimate, over the most any <paramref name="budget"/> layers hold.</summary>
    private static double Captured(double[] estimate, double[] reference, int budget)
    {
        double chosen = Enumerable.Range(0, estimate.Length).OrderByDescending(l => estimate[l]).Take(budget).Sum(l => reference[l]);
        return chosen / reference.OrderByDescending(g => g).Take(budget).Sum();
    }

    private static double Spearman(double[] a, double[] b)
    {
        double[] ra = Ranks(a), rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double cov = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum();
        return cov / Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(y => (y - mb) * (y - mb)));
    }

    /// <summary>Ranks from 1, ties sharing their average rank.</summary>
    private static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            for (int k = start; k <= end; k++) ranks[order[k]] = (start + end) / 2.0 + 1;
            start = end + 1;
        }
        return ranks;
    }
}
