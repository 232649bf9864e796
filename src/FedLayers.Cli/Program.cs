using System.CommandLine;

namespace FedLayers.Cli;

/// <summary>
/// fedlayers: federated fine-tuning where each client trains only the layers its budget allows.
/// Exit codes: 0 success, 2 bad input (one message, no stack trace), 1 an internal error.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, Console.In);

    /// <param name="input">what <c>select --input -</c> reads; default the console's standard input.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, TextReader? input = null)
    {
        // A plain command named as users type it: RootCommand would take the name of the dll (FedLayers.Cli)
        // for its usage lines.
        var root = new Command("fedlayers", "FedLayers: federated fine-tuning where every client trains only the layers its budget allows.")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            SimulateCommand.Create(output, error),
            CompareCommand.Create(output, error),
            InspectCommand.Create(output),
            SelectCommand.Create(output, input ?? Console.In),
            ServeCommand.Create(output, error),
            JoinCommand.Create(output, error),
            TokenCommand.Create(output),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) error.WriteLine($"fedlayers: {e.Message}");
            error.WriteLine("Run 'fedlayers --help' for the commands and options.");
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Unwrap(e) is UserInputException user)
        {
            error.WriteLine($"fedlayers: {user.Message}");
            return 2;
        }
        catch (Exception e) when (Unwrap(e) is Federation.RoundFailedException failed)
        {
            error.WriteLine($"fedlayers: {failed.Message}; continue it with --resume once enough clients can take part");
            return 1;
        }
        catch (Exception e)
        {
            error.WriteLine($"fedlayers: internal error: {Unwrap(e).Message}");
            if (Environment.GetEnvironmentVariable("FEDLAYERS_DEBUG") == "1") error.WriteLine(e);
            else error.WriteLine("(set FEDLAYERS_DEBUG=1 to see the stack trace)");
            return 1;
        }
    }

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerException!) : e;
}
