namespace FedLayers.Tests.Cli;

/// <summary>Runs the CLI in this process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args) => RunWithInput("", args);

    /// <summary>As <see cref="Run"/>, with <paramref name="input"/> as the standard input.</summary>
    public static (int ExitCode, string Output, string Error) RunWithInput(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = FedLayers.Cli.Program.Run(args, output, error, new StringReader(input));
        return (code, output.ToString(), error.ToString());
    }
}
