using FedLayers.Setup;

namespace FedLayers.Examples.RotatingStrategy;

/// <summary>Registers the rotating strategy beside the built-in ones and runs it on small-cnn and Fashion-MNIST.
/// Arguments: [run folder] [rounds] [samples per client].</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var registries = Registries.BuiltIn();
        registries.Strategies.Add(new StrategyEntry("rotating", "A window of adjacent layers that moves down one layer per round.", _ => new RotatingSelector()));
        var config = RunConfig.Defaults(registries)
            .With(RunSettings.Strategy, "rotating").With(RunSettings.Model, "small-cnn").With(RunSettings.Dataset, "fashion-mnist")
            .With(RunSettings.Clients, 10).With(RunSettings.ClientsPerRound, 3)
            .With(RunSettings.Rounds, args.Length > 1 ? int.Parse(args[1]) : 10)
            .With(RunSettings.MaxSamplesPerClient, args.Length > 2 ? int.Parse(args[2]) : null).With(RunSettings.EvalSamples, 2000)
            .With(RunSettings.Out, args.Length > 0 ? args[0] : Path.Combine("runs", "rotating"));
        var summary = await Simulation.RunAsync(config, [new RoundPrinter()], warning => Console.Error.WriteLine($"warning: {warning}"));
        Console.WriteLine($"{summary.Strategy}: test accuracy {summary.InitialAccuracy:P1} -> {summary.FinalAccuracy:P1}");
        return 0;
    }
}
