namespace FedLayers.Cli;

/// <summary>A problem the library reports about a file or value, told as a problem with the option that gave it.</summary>
internal static class OptionErrors
{
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
}
