using System.CommandLine;
using FedLayers.Setup;

namespace FedLayers.Cli;

/// <summary>
/// A command-line option made from a <see cref="Setting"/>: its value is read and checked by the
/// setting, so every option refuses bad text the same way (one sentence naming the option; NaN and
/// infinities refused), not with the parser's type names.
/// </summary>
public sealed class SettingOption<T>
{
    private readonly Setting<T> setting;

    public SettingOption(Setting<T> setting, string? description = null)
    {
        this.setting = setting;
        Option = setting.IsFlag
            ? new Option<bool>(setting.Option) { Description = description ?? setting.Help }
            : new Option<string>(setting.Option) { Description = description ?? $"{setting.Help} (default {setting.DefaultText})", HelpName = ValueName(setting) };
    }

    public Option Option { get; }

    /// <summary>What the help shows after the option: the kind of value it takes.</summary>
    internal static string ValueName(Setting setting) => setting switch
    {
        Setting<int> or Setting<int?> => "N",
        Setting<double> or Setting<double?> => "X",
        _ => "VALUE",
    };

    /// <summary>The checked value given on the command line, or the setting's default.</summary>
    public T Read(ParseResult parse)
    {
        if (parse.GetResult(Option) is not { Implicit: false }) return setting.Default;
        var value = Option is Option<bool> flag ? parse.GetValue(flag) : setting.Parse(parse.GetValue((Option<string>)Option)!);
        setting.Check(value);
        return (T)value!;
    }
}
