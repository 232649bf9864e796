using System.CommandLine;
using FedLayers.Federation;
using FedLayers.Reporting;
using TorchSharp;

namespace FedLayers.Cli;

/// <summary><c>fedlayers simulate</c>: a whole federation in this process.</summary>
public static class SimulateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("simulate", "Run a federated fine-tuning simulation in this process and write a run folder.");
        var options = new SimulationOptions(command);
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last checkpoint, with its configuration." };
        command.Options.Add(resume);

        command.SetAction(parse =>
        {
            bool resuming = parse.GetValue(resume);
            var resolved = options.Resolve(parse, resuming);
            resolved = resolved with { Out = resolved.Out ?? RunFolder.DefaultPath() };
            torch.set_num_threads(resolved.Threads ?? Environment.ProcessorCount);
            var progress = new ConsoleProgress(output, resolved.Rounds);
            output.WriteLine($"fedlayers simulate: {resolved.Model} on {resolved.Dataset}, strategy {resolved.Strategy}, " +
                             $"{resolved.Clients} clients ({resolved.ClientsPerRound} per round), {resolved.Rounds} rounds -> {resolved.Out}" +
                             (resuming ? " (resuming)" : ""));
            var summary = Simulation.RunAsync(resolved, [progress], message => error.WriteLine($"warning: {message}"), resume: resuming)
                .GetAwaiter().GetResult();
            SummaryTable.Write(output, summary, resolved.Out!);
            return 0;
        });
        return command;
    }
}
