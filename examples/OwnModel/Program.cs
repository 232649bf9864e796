using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Setup;
using static TorchSharp.torch;

namespace FedLayers.Examples.OwnModel;

/// <summary>Your own TorchSharp model on in-memory data, six clinics, a built-in strategy. Arguments: [run folder] [rounds].</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string folder = args.Length > 0 ? args[0] : Path.Combine("runs", "own-model");
        var registries = Registries.BuiltIn();
        // the model: one stage per layer group; fixed stages never train, selectable ones are what the strategy
        // hands out within each client's budget, common ones every client trains
        registries.Models.Add(new ModelEntry("clinic-mlp", "A five-stage MLP.", data => CustomModel.Staged("clinic-mlp", data.NumClasses,
        [
            new("embed", LayerRole.Fixed, nn.Linear(data.InputShape[0], 64)),
            new("block1", LayerRole.Selectable, nn.Sequential(nn.ReLU(), nn.Linear(64, 64))),
            new("block2", LayerRole.Selectable, nn.Sequential(nn.ReLU(), nn.Linear(64, 64))),
            new("block3", LayerRole.Selectable, nn.Sequential(nn.ReLU(), nn.Linear(64, 64))),
            new("head", LayerRole.Common, nn.Sequential(nn.ReLU(), nn.Linear(64, data.NumClasses))),
        ])));
        // the data: each clinic's own records (every client trains exactly its own), and a test set
        registries.Datasets.Add(new DatasetEntry("clinics", "Six clinics' records.", _ => ClientData.FromTensors(
            [.. Enumerable.Range(0, 6).Select(clinic => Records(clinic, 240))], Records(6, 600), ["healthy", "at risk", "ill"])));
        var config = RunConfig.Defaults(registries)
            .With(RunSettings.Model, "clinic-mlp").With(RunSettings.Dataset, "clinics")
            .With(RunSettings.Partition, "domain").With(RunSettings.Clients, 6).With(RunSettings.ClientsPerRound, 3)
            .With(RunSettings.Strategy, "strategic").With(RunSettings.MinLayers, 1).With(RunSettings.MaxLayers, 2)
            .With(RunSettings.Rounds, args.Length > 1 ? int.Parse(args[1]) : 15)
            .With(RunSettings.Optimizer, "adamw").With(RunSettings.Lr, 0.01).With(RunSettings.LrSchedule, "cosine")
            .With(RunSettings.Out, folder);
        var summary = await Simulation.RunAsync(config, [], warning => Console.Error.WriteLine($"warning: {warning}"));
        Console.WriteLine($"test accuracy {summary.InitialAccuracy:P1} -> {summary.FinalAccuracy:P1}; run folder {folder}");
        return 0;
    }

    /// <summary>A clinic's records: 20 features around a centre per class, shifted by the clinic (the test set, clinic 6,
    /// sits in the middle of the six).</summary>
    private static (Tensor Inputs, Tensor Labels) Records(int clinic, int count)
    {
        var noise = new Generator().manual_seed(clinic);
        var labels = randint(0, 3, [count], generator: noise);
        var centres = randn([3, 20], generator: new Generator().manual_seed(7));
        return (centres[labels] + randn([count, 20], generator: noise) + 0.2 * (clinic < 6 ? clinic - 2.5 : 0), labels);
    }
}
