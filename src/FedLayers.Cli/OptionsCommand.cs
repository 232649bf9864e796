using System.CommandLine;
using FedLayers.Setup;

namespace FedLayers.Cli;

/// <summary><c>fedlayers options</c>: the reference of every run option, as Markdown (docs/OPTIONS.md is its output).</summary>
public static class OptionsCommand
{
    public static Command Create(Registries registries, TextWriter output)
    {
        var command = new Command("options", "Print the reference of every run option and of every registered strategy, model, dataset and partition, as Markdown.");
        command.SetAction(_ =>
        {
            output.Write(OptionReference.Markdown(registries));
            return 0;
        });
        return command;
    }
}
