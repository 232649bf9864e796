namespace FedLayers.Bench;

/// <summary>fedlayers benchmarks: <c>FedLayers.Bench solver [instances per cell]</c> or <c>FedLayers.Bench robustness</c>.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["robustness"])
        {
            await RobustnessBenchmark.RunAsync(Console.Out);
            return 0;
        }
        if (args.Length is < 1 or > 2 || args[0] != "solver" || (args.Length == 2 && !int.TryParse(args[1], out _)))
        {
            Console.Error.WriteLine("usage: FedLayers.Bench solver [instances per size and lambda, default 5] | FedLayers.Bench robustness");
            return 2;
        }
        int instances = args.Length == 2 ? int.Parse(args[1]) : 5;
        SolverBenchmark.Run(instances, Console.Out);
        Console.WriteLine();
        SolverBenchmark.RunUnequalCosts(instances, Console.Out);
        return 0;
    }
}
