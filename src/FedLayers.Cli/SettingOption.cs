using System.CommandLine;
using FedLayers.Setup;

namespace FedLayers.Cli;

/// <summary>
/// A command-line option made from a <see cref="Setting"/>: its value is read and checked by the
/// setting, so every option refuses bad text the same way (one sentence naming the option; NaN and
/// infinities refused), not with the parser's type names.
/// </summary>
public sealed class SettingOption<T>(Setting<T> setting, string? description = null)
{
    public Option Option { get; } = SettingOption.Create(setting, description ?? (setting.IsFlag ? setting.Help : $"{setting.Help} (default {setting.DefaultText})"));

    /// <summary>The checked value given on the command line, or the setting's default.</summary>
    public T Read(ParseResult parse)
    {
        if (!SettingOption.TryRead(parse, Option, setting, out var value)) return setting.Default;
        setting.Check(value);
        return (T)value!;
    }
}

/// <summary>What every option made from a setting shares, whatever its type: how it is made and how its text is read.</summary>
public static class SettingOption
{
    /// <summary>A flag for a flag setting, else an option that takes the setting's text.</summary>
    public static Option Create(Setting setting, string description) => setting.IsFlag
        ? new Option<bool>(setting.Option) { Description = description }
        : new Option<string>(setting.Option) { Description = description, HelpName = ValueName(setting) };

    /// <summary>The value given on the command line, parsed by the setting (not yet checked against its rule);
    /// false when the option was not given.</summary>
    public static bool TryRead(ParseResult parse, Option option, Setting setting, out object? value)
    {
        value = null;
        if (parse.GetResult(option) is not { Implicit: false }) return false;
        value = option is Option<bool> flag ? parse.GetValue(flag) : setting.Parse(parse.GetValue((Option<string>)option)!);
        return true;
    }

    /// <summary>What the help shows after the option: the kind of value it takes.</summary>
    private static string ValueName(Setting setting) => setting switch
    {
        Setting<int> or Setting<int?> => "N",
        Setting<double> or Setting<double?> => "X",
        _ => "VALUE",
    };
}
