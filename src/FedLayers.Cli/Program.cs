using System.CommandLine;
using FedLayers.Setup;

namespace FedLayers.Cli;

/// <summary>
/// fedlayers: federated fine-tuning where each client trains only the layers its budget allows.
/// Exit codes: 0 success, 2 bad input (one message, no stack trace), 1 an internal error.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error, Console.In);

    /// <param name="input">what <c>select --input -</c> reads; default the console's standard input.</param>
    /// <param name="registries">the strategies, models, datasets and partitioners the options can name; null: the built-in ones.
    /// A program that registers entries of its own passes them here and gets their names and options on its command line.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, TextReader? input = null, Registries? registries = null)
    {
        registries ??= Registries.BuiltIn();
        var root = CreateCommand(registries, output, error, input ?? Console.In);
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
            error.WriteLine($"fedlayers: {(user.Field is { } field ? OptionOf(field) + ": " : "")}{user.Message}");
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

    /// <summary>Every command and option, generated from <paramref name="registries"/> where they name strategies, models,
    /// datasets and partitioners.</summary>
    public static Command CreateCommand(Registries registries, TextWriter output, TextWriter error, TextReader input)
    {
        // A plain command named as users type it: RootCommand would take the name of the dll (FedLayers.Cli)
        // for its usage lines.
        return new Command("fedlayers", "FedLayers: federated fine-tuning where every client trains only the layers its budget allows.\n" +
            "Documentation: README.md and docs/ in the source repository (every option: docs/OPTIONS.md, or fedlayers options).")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            SimulateCommand.Create(registries, output, error),
            CompareCommand.Create(registries, output, error),
            InspectCommand.Create(registries, output),
            SelectCommand.Create(output, input),
            ServeCommand.Create(registries, output, error),
            JoinCommand.Create(registries, output, error),
            TokenCommand.Create(output),
            OptionsCommand.Create(registries, output),
        };
    }

    /// <summary>The option that sets a field the library names; fields named like their option map by their kebab case.</summary>
    private static string OptionOf(string field) => field switch
    {
        "certificateFile" => "--tls-cert",
        "keyFile" => "--tls-key",
        nameof(Distributed.JoinOptions.CaCertificate) => "--ca-cert",
        _ => "--" + SettingErrors.KebabCase(field),
    };

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerException!) : e;
}
