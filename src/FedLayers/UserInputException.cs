namespace FedLayers;

/// <summary>
/// A problem with what the user gave us (a value, a file, a config key). The CLI prints only
/// <see cref="Exception.Message"/> (after the option <see cref="Field"/> names) and exits with
/// code 2, so the message must name the file or value and say what was expected.
/// </summary>
/// <param name="message">what is wrong, naming the file or value and what was expected.</param>
/// <param name="field">the parameter or property whose value is refused, when the message is about one
/// (<c>listen</c>, <c>Server</c>); the command line names the option that sets it.</param>
public class UserInputException(string message, string? field = null) : Exception(message)
{
    /// <summary>The parameter or property whose value is refused, or null when the message names a file or a key itself.</summary>
    public string? Field { get; } = field;
}
