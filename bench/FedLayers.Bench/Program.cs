namespace FedLayers.Bench;

/// <summary>fedlayers benchmarks: <c>FedLayers.Bench solver [instances per cell]</c>, <c>FedLayers.Bench robustness defences|strategies</c>, <c>FedLayers.Bench privacy RUNS-FOLDER PLOT-FOLDER</c>, <c>FedLayers.Bench probe-estimators</c> or <c>FedLayers.Bench gemm</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["probe-estimators"])
        {
            ProbeEstimatorBenchmark.Run(Console.Out);
            return 0;
        }
        if (args is ["probe-quality", .. var checkpoints])
        {
            ProbeQualityBenchmark.Run(checkpoints, Console.Out);
            return 0;
        }
        if (args is ["bert-base-checkpoint", var folder])
        {
            Console.WriteLine($"weight_bytes: {BertBaseCheckpoint.Write(folder)}");
            return 0;
        }
        if (args is ["gemm"])
        {
            Console.WriteLine($"matmul_gflops: {TrainingBench.MatmulRate.GigaflopsPerSecond():F1} ({Environment.ProcessorCount} cores)");
            return 0;
        }
        if (args is ["privacy", var runs, var plots])
        {
            PrivacyBenchmark.Report(runs, plots, Console.Out);
            return 0;
        }
        if (args is ["robustness", var robustnessTable] && robustnessTable is "defences" or "strategies")
        {
            await RobustnessBenchmark.RunAsync(robustnessTable, Console.Out);
            return 0;
        }
        if (args.Length is < 1 or > 2 || args[0] != "solver" || (args.Length == 2 && !int.TryParse(args[1], out _)))
        {
            Console.Error.WriteLine("usage: FedLayers.Bench solver [instances per size and lambda, default 5] | FedLayers.Bench robustness defences|strategies | " +
                                    "FedLayers.Bench privacy RUNS-FOLDER PLOT-FOLDER | FedLayers.Bench probe-estimators | FedLayers.Bench gemm");
            return 2;
        }
        int instances = args.Length == 2 ? int.Parse(args[1]) : 5;
        SolverBenchmark.Run(instances, Console.Out);
        Console.WriteLine();
        SolverBenchmark.RunUnequalCosts(instances, Console.Out);
        return 0;
    }
}
