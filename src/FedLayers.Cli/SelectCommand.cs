using System.CommandLine;
using System.Globalization;
using FedLayers.Selection.Solver;

namespace FedLayers.Cli;

/// <summary>
/// <c>fedlayers select --input FILE</c> (or <c>-</c> for standard input): solves one strategic
/// selection problem, given as JSON (<see cref="SelectionRequest"/>), with
/// <see cref="LayerSelectionSolver"/> and prints
/// <c>{"masks": [[0/1 ...] x K], "objective", "bound", "gap", "status", "seconds"}</c>.
/// The numbers are used as given: no normalisation of gradients or lambda here.
/// </summary>
public static class SelectCommand
{
    /// <summary>The wall-clock safety net when the input gives no timeLimitSeconds.</summary>
    public const double DefaultTimeLimitSeconds = 30;

    public static Command Create(TextWriter output, TextReader input)
    {
        var command = new Command("select", "Solve one strategic layer selection problem given as JSON; print the masks, objective, bound and gap as JSON.");
        var file = new Option<string>("--input") { Description = "JSON file with gradients, budgets, costs (optional), lambda, timeLimitSeconds (optional); - reads standard input.", Required = true };
        command.Options.Add(file);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            var request = path == "-" ? SelectionRequest.Parse(input.ReadToEnd(), "standard input") : SelectionRequest.Parse(ReadFile(path), path);
            var solution = new LayerSelectionSolver(request.TimeLimitSeconds ?? DefaultTimeLimitSeconds).Solve(request.Problem);
            Write(output, solution);
            return 0;
        });
        return command;
    }

    private static string ReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--input {path}: cannot read the file ({e.Message})");
        }
    }

    /// <summary>One line per mask, so the output stays readable for dozens of clients.</summary>
    private static void Write(TextWriter output, SelectionSolution solution)
    {
        static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        var masks = solution.Masks.Select(mask => "    [" + string.Join(", ", mask.Select(taken => taken ? 1 : 0)) + "]");
        output.WriteLine("{");
        output.WriteLine("  \"masks\": [");
        output.WriteLine(string.Join(",\n", masks));
        output.WriteLine("  ],");
        output.WriteLine($"  \"objective\": {Number(solution.Objective)},");
        output.WriteLine($"  \"bound\": {Number(solution.Bound)},");
        output.WriteLine($"  \"gap\": {Number(solution.Gap)},");
        output.WriteLine($"  \"status\": \"{solution.Status}\",");
        output.WriteLine($"  \"seconds\": {Number(solution.Seconds)}");
        output.WriteLine("}");
    }
}
