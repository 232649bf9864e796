using System.CommandLine;
using FedLayers.Setup;

namespace FedLayers.Cli;

/// <summary>
/// The options that define a run, one per setting of the registries (the run's own, then those of
/// every registry entry), plus <c>--config</c>: defaults, then the JSON
/// file, then the options given on the command line. <c>simulate</c> and <c>serve</c> have them all;
/// <c>compare</c> leaves out the ones it sets per run.
/// </summary>
public sealed class SimulationOptions
{
    private readonly Registries registries;
    private readonly Option<string> config = new("--config")
    {
        Description = "JSON file with option names (without dashes) as keys; options given here override it.",
    };
    private readonly Dictionary<Setting, Option> options = [];

    /// <param name="leftOut">settings the command sets itself, e.g. compare's strategy, seed and out.</param>
    public SimulationOptions(Command command, Registries registries, IReadOnlySet<Setting>? leftOut = null)
    {
        this.registries = registries;
        command.Options.Add(config);
        foreach (var setting in registries.Settings)
        {
            if (leftOut?.Contains(setting) == true) continue;
            var option = SettingOption.Create(setting, OptionHelp.Describe(setting, registries));
            command.Options.Add(option);
            options[setting] = option;
        }
    }

    /// <summary>Whether the command line itself sets <paramref name="setting"/> (not a default nor --config).</summary>
    public bool IsGiven(ParseResult parse, Setting setting) =>
        options.TryGetValue(setting, out var option) && parse.GetResult(option) is { Implicit: false };

    /// <summary>The configuration the command line asks for, validated.</summary>
    /// <param name="resume">the base is the config.json of the run in --out instead of the defaults and --config,
    /// so only the options given here can differ from it (and the run checks they may).</param>
    public RunConfig Resolve(ParseResult parse, bool resume = false)
    {
        var given = new Dictionary<Setting, object?>();
        foreach (var (setting, option) in options)
            if (SettingOption.TryRead(parse, option, setting, out var value))
                given[setting] = value;
        var configFile = parse.GetValue(config);
        if (resume)
        {
            if (configFile is not null) throw new UserInputException("--config: not used with --resume; the run continues with the config.json in its --out folder");
            var folder = given.GetValueOrDefault(RunSettings.Out) as string
                         ?? throw new UserInputException("--resume: needs --out, the folder of the run to continue");
            configFile = Path.Combine(folder, "config.json");
            if (!File.Exists(configFile)) throw new UserInputException($"--resume: '{configFile}' does not exist; expected the folder of a run");
        }
        var resolved = RunConfigJson.Resolve(registries, configFile, given);
        resolved.Validate();
        return resolved;
    }
}
