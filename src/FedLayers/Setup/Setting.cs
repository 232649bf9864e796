using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FedLayers.Setup;

/// <summary>
/// One option of a run, declared once: its name (the key in a configuration file and, after two
/// dashes, the command-line option), its help text, its default, and how a value is read and
/// checked. The command line, configuration files, config.json and the option reference in docs/
/// are all generated from these declarations, so they cannot drift apart.
/// </summary>
public abstract class Setting
{
    private protected Setting(string name, string help)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
            throw new ArgumentException($"a setting name is lower-case kebab case, got '{name}'", nameof(name));
        (Name, Help) = (name, help);
    }

    /// <summary>The configuration key, e.g. <c>lambda</c>; the command-line option is <c>--lambda</c>.</summary>
    public string Name { get; }

    /// <summary>What the setting does, one sentence, without its default (<see cref="DefaultText"/> says it).</summary>
    public string Help { get; }

    /// <summary>True for settings that do not change a run's numbers (where and how fast it computes, how long it
    /// waits); they may differ when a run is resumed or a comparison continued.</summary>
    public bool Operational { get; init; }

    /// <summary>The command-line spelling of the option.</summary>
    public string Option => "--" + Name;

    /// <summary>Whether the option is a flag that takes no value.</summary>
    public abstract bool IsFlag { get; }

    /// <summary>The default as users read it in help texts.</summary>
    public abstract string DefaultText { get; }

    internal abstract object? DefaultValue { get; }

    /// <summary>Reads a command-line value; refuses it with a <see cref="UserInputException"/> that names the option.</summary>
    public abstract object? Parse(string text);

    /// <summary>Reads a configuration-file value; <paramref name="where"/> names the file and key in the message.</summary>
    internal abstract object? Read(JsonNode? node, string where);

    internal abstract JsonNode? Write(object? value);

    /// <summary>Checks a value against the setting's own rule; the message names the option.</summary>
    public abstract void Check(object? value);

    /// <summary>A whole number.</summary>
    public static Setting<int> Int(string name, int defaultValue, string help, int? min = null, int? max = null) =>
        new(name, help, defaultValue, ParseInt, RangeRule<int>(min, max));

    /// <summary>A whole number that may be left unset (null: the help text says what that means).</summary>
    /// <param name="name">the configuration key in lower-case kebab case; the option is --name.</param>
    /// <param name="help">what the setting does, one sentence, without its default.</param>
    /// <param name="min">the smallest value allowed, or null.</param>
    /// <param name="max">the largest value allowed, or null.</param>
    /// <param name="unsetText">what leaving it unset means, for help texts (e.g. "no cap").</param>
    /// <param name="defaultValue">the value when none is given; null leaves it unset.</param>
    public static Setting<int?> OptionalInt(string name, string help, int? min = null, int? max = null, string unsetText = "unset",
        int? defaultValue = null) =>
        new(name, help, defaultValue, text => ParseInt(text), value => value is { } v ? RangeRule<int>(min, max)?.Invoke(v) : null) { UnsetText = unsetText, AllowsUnset = true };

    /// <summary>A finite number; NaN and infinities are refused.</summary>
    public static Setting<double> Number(string name, double defaultValue, string help, double? min = null, bool minExclusive = false, double? max = null,
        bool maxExclusive = false) =>
        new(name, help, defaultValue, ParseNumber, NumberRule(min, minExclusive, max, maxExclusive));

    /// <summary>A finite number that may be left unset.</summary>
    public static Setting<double?> OptionalNumber(string name, string help, double? min = null, bool minExclusive = false, double? max = null,
        string unsetText = "unset", bool maxExclusive = false) =>
        new(name, help, null, text => ParseNumber(text), value => value is { } v ? NumberRule(min, minExclusive, max, maxExclusive)(v) : null) { UnsetText = unsetText, AllowsUnset = true };

    /// <summary>A word or a path.</summary>
    public static Setting<string> Text(string name, string defaultValue, string help) => new(name, help, defaultValue, text => text, null, text => text);

    /// <summary>One of a few fixed words, each standing for one value of <typeparamref name="TEnum"/> (for a choice that needs no
    /// registry of its own): the command line, configuration files and config.json spell the word, the library gets the value.</summary>
    /// <param name="name">the configuration key in lower-case kebab case; the option is --name.</param>
    /// <param name="defaultValue">the value when none is given.</param>
    /// <param name="help">what the setting does, one sentence, without its default.</param>
    /// <param name="words">one word per value of <typeparamref name="TEnum"/>, in the order messages list them.</param>
    /// <exception cref="ArgumentException">a word or a value of <typeparamref name="TEnum"/> has not exactly one entry.</exception>
    public static Setting<TEnum> Choice<TEnum>(string name, TEnum defaultValue, string help, params (string Word, TEnum Value)[] words)
        where TEnum : struct, Enum
    {
        var values = words.ToDictionary(w => w.Word, w => w.Value);
        var wordOf = words.ToDictionary(w => w.Value, w => w.Word);
        foreach (var value in Enum.GetValues<TEnum>())
            if (!wordOf.ContainsKey(value)) throw new ArgumentException($"{name}: no word for {typeof(TEnum).Name}.{value}", nameof(words));
        string expected = $"expected one of {string.Join(", ", words.Select(w => w.Word))}";
        return new(name, help, defaultValue, text => values.TryGetValue(text, out var value) ? value : throw new FormatException(expected), null,
            value => wordOf[value]);
    }

    /// <summary>A word or a path that may be left unset.</summary>
    public static Setting<string?> OptionalText(string name, string help, string unsetText = "unset") =>
        new(name, help, null, text => text, null, text => text!) { UnsetText = unsetText, AllowsUnset = true };

    /// <summary>A flag: off unless given.</summary>
    public static Setting<bool> Flag(string name, string help) => new(name, help, false, ParseBool, null);

    private static int ParseInt(string text) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
        ? value
        : throw new FormatException("expected a whole number");

    private static double ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new FormatException("expected a finite number");

    private static bool ParseBool(string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => throw new FormatException("expected true or false"),
    };

    private static Func<T, string?>? RangeRule<T>(T? min, T? max) where T : struct, IComparable<T>
    {
        if (min is null && max is null) return null;
        return value => (min, max) switch
        {
            ({ } low, { } high) when value.CompareTo(low) < 0 || value.CompareTo(high) > 0 => $"must be between {low} and {high}, got {value}",
            ({ } low, null) when value.CompareTo(low) < 0 => $"must be at least {low}, got {value}",
            (null, { } high) when value.CompareTo(high) > 0 => $"must be at most {high}, got {value}",
            _ => null,
        };
    }

    private static Func<double, string?> NumberRule(double? min, bool minExclusive, double? max, bool maxExclusive) => value =>
    {
        string Text(double v) => v.ToString(CultureInfo.InvariantCulture);
        if (!double.IsFinite(value)) return $"must be a finite number, got {Text(value)}";
        if (min is { } low && (minExclusive ? value <= low : value < low))
            return $"must be {(minExclusive ? "greater than" : "at least")} {Text(low)}, got {Text(value)}";
        if (max is { } high && (maxExclusive ? value >= high : value > high))
            return $"must be {(maxExclusive ? "less than" : "at most")} {Text(high)}, got {Text(value)}";
        return null;
    };
}

/// <summary>A setting whose values are of type <typeparamref name="T"/>.</summary>
public sealed class Setting<T> : Setting
{
    private readonly Func<string, T> parse;
    private readonly Func<T, string?>? rule;

    // how a value is spelled as a JSON string and on the command line (the inverse of parse); null for numbers and flags,
    // which JSON writes as themselves
    private readonly Func<T, string>? word;

    internal Setting(string name, string help, T defaultValue, Func<string, T> parse, Func<T, string?>? rule, Func<T, string>? word = null) : base(name, help)
    {
        (Default, this.parse, this.rule, this.word) = (defaultValue, parse, rule, word);
        if (defaultValue is not null && rule?.Invoke(defaultValue) is { } problem)
            throw new ArgumentException($"the default of {name} breaks its own rule: {problem}", nameof(defaultValue));
    }

    /// <summary>The value a run has when neither a configuration file nor the command line gives one.</summary>
    public T Default { get; }

    /// <summary>This setting, marked as one that does not change a run's numbers (<see cref="Setting.Operational"/>).</summary>
    public Setting<T> AsOperational() =>
        new(Name, Help, Default, parse, rule, word) { UnsetText = UnsetText, AllowsUnset = AllowsUnset, Operational = true };

    /// <summary>What an unset optional value means, for help texts.</summary>
    public string UnsetText { get; init; } = "unset";

    /// <inheritdoc/>
    public override bool IsFlag => typeof(T) == typeof(bool);

    /// <inheritdoc/>
    public override string DefaultText => TextOf(Default);

    /// <summary><paramref name="value"/> as users read it in help texts and messages: a choice's word, a number in the
    /// invariant culture, on or off for a flag, <see cref="UnsetText"/> for null.</summary>
    public string TextOf(T value) => value switch
    {
        null => UnsetText,
        _ when word is not null => word(value),
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "on" : "off",
        var v => v.ToString() ?? "",
    };

    internal override object? DefaultValue => Default;

    /// <inheritdoc/>
    public override object? Parse(string text) => ParseAs(text, Option);

    /// <summary>The value <paramref name="text"/> spells, or one sentence naming <paramref name="where"/>, what was expected and
    /// what was given (<paramref name="shown"/>; null: the text in single quotes).</summary>
    private T ParseAs(string text, string where, string? shown = null)
    {
        try
        {
            return parse(text);
        }
        catch (FormatException e)
        {
            throw new UserInputException($"{where}: {e.Message}, got {shown ?? $"'{text}'"}");
        }
    }

    internal override object? Read(JsonNode? node, string where)
    {
        if (node is null)
            return AllowsUnset ? null : throw new UserInputException($"{where}: {Expected}, got null");
        var kind = node is JsonValue ? node.GetValueKind() : JsonValueKind.Object;
        if (word is not null && kind == JsonValueKind.String) return ParseAs(node.GetValue<string>(), where);
        if (IsFlag && kind is JsonValueKind.True or JsonValueKind.False) return node.GetValue<bool>();
        if (!IsFlag && word is null && kind == JsonValueKind.Number) return ParseAs(node.ToJsonString(), where, node.ToJsonString());
        throw new UserInputException($"{where}: {Expected}, got {node.ToJsonString()}");
    }

    /// <summary>Whether null is a value of this setting (an optional one left unset).</summary>
    internal bool AllowsUnset { get; init; }

    private string Expected => IsFlag ? "expected true or false" : word is not null ? "expected a string" : "expected a number";

    internal override JsonNode? Write(object? value) => value is null ? null : word is not null ? JsonValue.Create(word((T)value)) : JsonValue.Create((T)value);

    /// <inheritdoc/>
    public override void Check(object? value)
    {
        if (value is T typed && rule?.Invoke(typed) is { } problem) throw new UserInputException($"{Option}: {problem}");
    }
}
