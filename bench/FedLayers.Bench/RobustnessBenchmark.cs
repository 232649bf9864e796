using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Setup;

namespace FedLayers.Bench;

/// <summary>
/// Every attack of a lying client against every defence, in simulation (docs/ROBUSTNESS.md): small-cnn on Fashion-MNIST,
/// six clients all training every layer, the last of them lying, the final test accuracy of each pair.
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

    /// <summary>Prints one markdown row per defence, one column per attack.</summary>
    public static async Task RunAsync(TextWriter output)
    {
        var folder = Directory.CreateTempSubdirectory("fedlayers-robustness-").FullName;
        var baseConfig = RunConfig.Defaults()
            .With(RunSettings.Model, "small-cnn").With(RunSettings.Strategy, "full").With(RunSettings.Partition, "iid")
            .With(RunSettings.Clients, 6).With(RunSettings.ClientsPerRound, 6).With(RunSettings.Rounds, 6).With(RunSettings.LocalSteps, 15)
            .With(RunSettings.Optimizer, "adam").With(RunSettings.Lr, 0.002).With(RunSettings.MaxSamplesPerClient, 480)
            .With(RunSettings.EvalSamples, 1000).With(RunSettings.Seed, 5);
        using var data = DataLoading.Load(baseConfig);
        output.WriteLine($"| defence | {string.Join(" | ", Attacks.Select(a => a.Name))} |");
        output.WriteLine($"|---|{string.Concat(Attacks.Select(_ => "---|"))}");
        int run = 0;
        foreach (var (defenceName, apply) in Defences)
        {
            var accuracies = new List<string>();
            foreach (var (_, declared, scale) in Attacks)
            {
                var config = apply(baseConfig).With(RunSettings.Out, Path.Combine(folder, $"run{run++}"));
                using var setup = FederationSetup.Build(config, data, _ => { });
                using var prober = new GradientProber(setup.Model, setup.Device, setup.Training.Loss);
                var honest = new InProcessClientChannel(setup.Tensors.Train, setup.Shards, new ClientTrainer(setup.Model, setup.Device), prober,
                    setup.Training, config.Get(RunSettings.Seed));
                var summary = await setup.RunServerAsync(new AttackingChannel(honest, attacker: 5, declared, scale), resume: false,
                    writePartition: false, [], CancellationToken.None);
                accuracies.Add($"{summary.FinalAccuracy:P1}");
            }
            output.WriteLine($"| {defenceName} | {string.Join(" | ", accuracies)} |");
        }
        Directory.Delete(folder, recursive: true);
    }
}
