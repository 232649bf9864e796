using System.Text;

namespace FedLayers.Setup;

/// <summary>
/// Below the set-up layer, the library refuses a bad argument with an <see cref="ArgumentException"/>
/// naming the parameter (<c>lambda</c>, <c>maxSeqLen</c>); here such a refusal becomes a user error
/// naming the option (<c>--lambda</c>, <c>--max-seq-len</c>), so a value is checked once, where it is used.
/// </summary>
public static class SettingErrors
{
    /// <summary>Runs <paramref name="build"/>; an argument error about one of <paramref name="settings"/> becomes a
    /// <see cref="UserInputException"/> naming its option.</summary>
    public static T Translate<T>(Func<T> build, IEnumerable<Setting> settings) =>
        Translate(build, parameter => settings.FirstOrDefault(s => s.Name == KebabCase(parameter))?.Option);

    /// <summary>Runs <paramref name="build"/>; an argument error about <paramref name="parameter"/> becomes a
    /// <see cref="UserInputException"/> naming <paramref name="option"/> (for a command's own option that is no run setting).</summary>
    public static T Translate<T>(Func<T> build, string parameter, string option) =>
        Translate(build, name => name == parameter ? option : null);

    private static T Translate<T>(Func<T> build, Func<string, string?> optionOf)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e) when (e.ParamName is { } parameter && optionOf(parameter) is { } option)
        {
            throw new UserInputException($"{option}: {Reason(e)}");
        }
    }

    /// <summary>Runs <paramref name="action"/>; a problem it reports about a file or value (one naming no field) is told as
    /// a problem with <paramref name="option"/>, the option that gave that file or value.</summary>
    public static T Named<T>(string option, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (UserInputException e) when (e.Field is null)
        {
            throw new UserInputException($"{option}: {e.Message}");
        }
    }

    /// <summary><c>maxSeqLen</c> -> <c>max-seq-len</c>: a parameter named like its setting maps to it.</summary>
    public static string KebabCase(string parameter)
    {
        var name = new StringBuilder();
        foreach (char c in parameter)
        {
            if (char.IsUpper(c) && name.Length > 0) name.Append('-');
            name.Append(char.ToLowerInvariant(c));
        }
        return name.ToString();
    }

    /// <summary>The message without the " (Parameter 'x')" and "Actual value was" lines .NET appends.</summary>
    private static string Reason(ArgumentException e)
    {
        var message = e.Message;
        int parameterNote = message.IndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        if (parameterNote >= 0) message = message[..parameterNote];
        return message.Split('\n')[0].TrimEnd();
    }
}
