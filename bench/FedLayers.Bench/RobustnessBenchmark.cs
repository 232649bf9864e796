using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Selection;
using FedLayers.Setup;

namespace FedLayers.Bench;

/// <summary>
/// A lying client in simulation (docs/ROBUSTNESS.md), small-cnn on Fashion-MNIST. <c>defences</c>: every attack against every
/// defence, six clients all training every layer, the last of them lying, the final test accuracy of each pair.
/// <c>strategies</c>: how the strategy decides whether a robust rule can protect a layer: ten clients with budgets of 1 to 3 of
/// the 6 blocks, the last lying, the median with the cap, each strategy's final accuracy and fewest clients behind a layer.
/// </summary>
public static class RobustnessBenchmark
{
    private static readonly (string Name, int? Declared, float Scale)[] Attacks =
        [("none", null, 1f), ("(a) declares 2^31-1 samples", int.MaxValue, 1f), ("(b) update x 10^4", null, 1e4f), ("(c) update x -10", null, -10f)];

    private static readonly (string Name, Func<RunConfig, RunConfig> Apply)[] Defences =
    [
        ("mean", c => c),
        ("mean, cap 0.5", c => c.With(RunSettings.MaxClientWeight, 0.5)),
        ("mean, clip 2", c => c.With(RunSettings.ClipNorm, 2.0)),
        ("trimmed mean 0.2, cap 0.5", c => c.With(RunSettings.Aggregator, "trimmed-mean").With(RunSettings.MaxClientWeight, 0.5)),
        ("median, cap 0.5", c => c.With(RunSettings.Aggregator, "median").With(RunSettings.MaxClientWeight, 0.5)),
    ];

    private static readonly (string Name, Func<RunConfig, RunConfig> Apply)[] Strategies =
    [
        ("full", c => c.With(RunSettings.Strategy, "full")),
        ("top", c => c.With(RunSettings.Strategy, "top")),
        .. new[] { 0.0, 0.1, 1.0 }.Select(lambda => ($"strategic, lambda {lambda}",
            (Func<RunConfig, RunConfig>)(c => c.With(RunSettings.Strategy, "strategic").With(BuiltInStrategies.Lambda, lambda)))),
    ];

    private static RunConfig Base(int clients) => RunConfig.Defaults()
        .With(RunSettings.Model, "small-cnn").With(RunSettings.Strategy, "full").With(RunSettings.Partition, "iid")
        .With(RunSettings.Clients, clients).With(RunSettings.ClientsPerRound, clients).With(RunSettings.Rounds, 6).With(RunSettings.LocalSteps, 15)
        .With(RunSettings.Optimizer, "adam").With(RunSettings.Lr, 0.002).With(RunSettings.MaxSamplesPerClient, 480)
        .With(RunSettings.EvalSamples, 1000).With(RunSettings.Seed, 5)
        // the probe ROBUSTNESS.md's strategic rows were measured with (the defaults before issues 17 and 18)
        .With(RunSettings.ProbeEstimatorChoice, ProbeEstimator.BatchSum).With(RunSettings.ProbeBatches, 5);

    /// <summary>Prints the <paramref name="table"/> (<c>defences</c> or <c>strategies</c>) in markdown: one row per defence or
    /// strategy, one column per attack.</summary>
    public static async Task RunAsync(string table, TextWriter output)
    {
        var folder = Directory.CreateTempSubdirectory("fedlayers-robustness-").FullName;
        bool byStrategy = table == "strategies";
        var baseConfig = byStrategy
            ? Base(10).With(RunSettings.MinLayers, 1).With(RunSettings.MaxLayers, 3).With(RunSettings.Aggregator, "median")
                .With(RunSettings.MaxClientWeight, 0.5).With(RunSettings.Threads, 1)
            : Base(6);
        int attacker = baseConfig.Get(RunSettings.Clients) - 1;
        var rows = byStrategy ? Strategies : Defences;
        var attacks = byStrategy ? Attacks.Where(a => a.Declared is null).ToArray() : Attacks;
        using var data = DataLoading.Load(baseConfig);
        output.WriteLine($"| {(byStrategy ? "strategy" : "defence")} | {string.Join(" | ", attacks.Select(a => a.Name))} |" +
                         (byStrategy ? " mean fewest clients behind a trained layer |" : ""));
        output.WriteLine($"|---|{string.Concat(attacks.Select(_ => "---|"))}{(byStrategy ? "---|" : "")}");
        int run = 0;
        foreach (var (rowName, apply) in rows)
        {
            var cells = new List<string>();
            var fewest = new List<double>();
            foreach (var (_, declared, scale) in attacks)
            {
                var config = apply(baseConfig).With(RunSettings.Out, Path.Combine(folder, $"run{run++}"));
                using var setup = FederationSetup.Build(config, data, _ => { });
                using var prober = FederationSetup.ProberOf(setup.Config, setup.Model, setup.Device);
                var honest = new InProcessClientChannel(setup.Tensors.Train, setup.Shards, new ClientTrainer(setup.Model, setup.Device), prober,
                    setup.Training, config.Get(RunSettings.Seed));
                var rounds = new RoundCollector();
                var summary = await setup.RunServerAsync(new AttackingChannel(honest, attacker, declared, scale), resume: false,
                    writePartition: false, [rounds], CancellationToken.None);
                cells.Add($"{summary.FinalAccuracy:P1}");
                fewest.AddRange(rounds.Rounds.Skip(1).Select(r => (double)r.FewestLayerClients!.Value));
            }
            output.WriteLine($"| {rowName} | {string.Join(" | ", cells)} |{(byStrategy ? $" {fewest.Average():F1} |" : "")}");
        }
        Directory.Delete(folder, recursive: true);
    }
}
