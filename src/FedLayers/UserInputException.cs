namespace FedLayers;

/// <summary>
/// A problem with what the user gave us (an option, a file, a config key). The CLI prints
/// only <see cref="Exception.Message"/> and exits with code 2, so the message must name the
/// option or file and say what was expected.
/// </summary>
public class UserInputException(string message) : Exception(message);
