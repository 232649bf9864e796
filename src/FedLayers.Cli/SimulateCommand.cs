using System.CommandLine;
using FedLayers.Reporting;
using FedLayers.Setup;
using TorchSharp;
using static FedLayers.Setup.RunSettings;

namespace FedLayers.Cli;

/// <summary><c>fedlayers simulate</c>: a whole federation in this process.</summary>
public static class SimulateCommand
{
    public static Command Create(Registries registries, TextWriter output, TextWriter error)
    {
        var command = new Command("simulate", "Run a federated fine-tuning simulation in this process and write a run folder.");
        var options = new SimulationOptions(command, registries);
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint, with its configuration." };
        command.Options.Add(resume);

        command.SetAction(parse =>
        {
            bool resuming = parse.GetValue(resume);
            var resolved = options.Resolve(parse, resuming);
            if (!resuming) SettingUse.CheckEveryChangedSettingIsRead(resolved);
            resolved = resolved.With(Out, resolved.Get(Out) ?? RunFolder.DefaultPath());
            torch.set_num_threads(resolved.Get(Threads) ?? Environment.ProcessorCount);
            var progress = new ConsoleProgress(output, resolved.Get(Rounds));
            output.WriteLine($"fedlayers simulate: {resolved.Get(Model)} on {resolved.Get(Dataset)}, strategy {resolved.Get(Strategy)}, " +
                             $"{resolved.Get(Clients)} clients ({resolved.Get(ClientsPerRound)} per round), {resolved.Get(Rounds)} rounds -> {resolved.Get(Out)}" +
                             (resuming ? " (resuming)" : ""));
            var summary = Simulation.RunAsync(resolved, [progress], message => error.WriteLine($"warning: {message}"), resume: resuming)
                .GetAwaiter().GetResult();
            SummaryTable.Write(output, summary, resolved.Get(Out)!);
            return 0;
        });
        return command;
    }
}
