using System.CommandLine;
using System.Globalization;
using FedLayers.Comparison;
using FedLayers.Setup;
using Spectre.Console;
using TorchSharp;

namespace FedLayers.Cli;

/// <summary><c>fedlayers compare</c>: every strategy with several seeds on one configuration, one table and plots.</summary>
public static class CompareCommand
{
    private static readonly HashSet<Setting> SetPerRun = [RunSettings.Strategy, RunSettings.Seed, RunSettings.Out];

    public static Command Create(Registries registries, TextWriter output, TextWriter error)
    {
        var command = new Command("compare",
            "Run strategies x seeds on one configuration (each a run folder), resumably, and write results.json, results.md and plots.");
        var options = new SimulationOptions(command, registries, SetPerRun);
        var allStrategies = string.Join(",", registries.Strategies.Entries.Select(e => e.Name));
        var strategies = new Option<string>("--strategies")
        {
            Description = $"Comma-separated strategies (default all: {allStrategies}).",
            DefaultValueFactory = _ => allStrategies,
        };
        var lambdas = new Option<string>("--lambdas")
        {
            Description = "Comma-separated lambdas: strategic runs once at each, as arms strategic@LAMBDA (e.g. 0,0.1,1), in strategic's place.",
        };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds (default 1,2,3).", DefaultValueFactory = _ => "1,2,3" };
        var target = new SettingOption<double?>(Setting.OptionalNumber("target-accuracy", "Accuracy in (0, 1] for the rounds-to-target column.",
            min: 0, minExclusive: true, max: 1, unsetText: $"{ComparisonReportOptions.DefaultTargetShare:P0} of the best accuracy any run reached"));
        var endpoint = new SettingOption<int>(Setting.Int("endpoint-rounds", 5,
            "The endpoint: a run's mean test accuracy over its last this many rounds, reported beside final and best.", min: 1));
        var reference = new Option<string>("--reference")
        {
            Description = "The strategy every other is compared with seed by seed (default top when compared, else the first).",
        };
        var folder = new Option<string>("--out") { Description = "Comparison folder (default comparisons/<timestamp>); an existing one is resumed." };
        command.Options.Add(strategies);
        command.Options.Add(lambdas);
        command.Options.Add(seeds);
        command.Options.Add(target.Option);
        command.Options.Add(endpoint.Option);
        command.Options.Add(reference);
        command.Options.Add(folder);
        command.SetAction(parse =>
        {
            var config = options.Resolve(parse);
            var chosen = ParseStrategies(parse.GetValue(strategies)!, registries);
            SettingUse.CheckEveryChangedSettingIsRead(config, chosen);
            var arms = Arms(chosen, parse.GetValue(lambdas), config);
            var seedList = ParseSeeds(parse.GetValue(seeds)!);
            var report = new ComparisonReportOptions(target.Read(parse), endpoint.Read(parse), parse.GetValue(reference));
            var path = parse.GetValue(folder) ?? Path.Combine("comparisons", DateTime.Now.ToString("yyyyMMdd-HHmmss"));
            torch.set_num_threads(config.Get(RunSettings.Threads) ?? Environment.ProcessorCount);
            var runner = SettingErrors.Translate(() => new ComparisonRunner(config, arms, seedList, path, report),
                nameof(ComparisonReportOptions.Reference), reference.Name);
            output.WriteLine($"fedlayers compare: {config.Get(RunSettings.Model)} on {config.Get(RunSettings.Dataset)}, {arms.Count} arms x {seedList.Count} seeds = " +
                             $"{runner.Runs.Count} runs of {config.Get(RunSettings.Rounds)} rounds -> {path}");
            var summary = runner.RunAsync(new ComparisonProgress(output, config.Get(RunSettings.Rounds)), message => error.WriteLine($"warning: {message}"))
                .GetAwaiter().GetResult();
            WriteTable(output, summary.Strategies, path);
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<string> ParseStrategies(string text, Registries registries)
    {
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (names.Count == 0) throw new UserInputException("--strategies: expected at least one strategy");
        foreach (var name in names)
            if (!registries.Strategies.Contains(name) || name.Contains(':'))
                throw new UserInputException($"--strategies: unknown strategy '{name}'; expected some of {string.Join(", ", registries.Strategies.Spellings)}");
        if (names.Distinct().Count() != names.Count) throw new UserInputException("--strategies: a strategy is listed twice");
        return names;
    }

    /// <summary>One arm per strategy, strategic replaced by one arm per lambda when <paramref name="lambdaList"/> is given.</summary>
    private static List<ComparisonArm> Arms(IReadOnlyList<string> strategies, string? lambdaList, RunConfig config)
    {
        if (lambdaList is null) return strategies.Select(ComparisonArm.Of).ToList();
        const string option = "--lambdas";
        if (!strategies.Contains("strategic")) throw new UserInputException($"{option}: sets strategic's lambda, but strategic is not among --strategies");
        if (config.Get(BuiltInStrategies.Lambda) != BuiltInStrategies.Lambda.Default)
            throw new UserInputException($"{option}: sets the lambda of every strategic arm; leave out --lambda");
        var values = new List<double>();
        foreach (var part in lambdaList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            values.Add(double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double lambda) && double.IsFinite(lambda) && lambda >= 0
                ? lambda
                : throw new UserInputException($"{option}: '{part}' is not a number of at least 0; expected e.g. 0,0.1,1"));
        if (values.Count == 0) throw new UserInputException($"{option}: expected at least one lambda");
        if (values.Distinct().Count() != values.Count) throw new UserInputException($"{option}: a lambda is listed twice");
        return strategies.SelectMany(s => s == "strategic" ? values.Select(ComparisonArm.StrategicAt) : [ComparisonArm.Of(s)]).ToList();
    }

    private static IReadOnlyList<int> ParseSeeds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var seeds = new List<int>();
        foreach (var part in parts)
            seeds.Add(int.TryParse(part, out int seed) ? seed : throw new UserInputException($"--seeds: '{part}' is not a whole number; expected e.g. 1,2,3"));
        if (seeds.Count == 0) throw new UserInputException("--seeds: expected at least one seed");
        if (seeds.Distinct().Count() != seeds.Count) throw new UserInputException("--seeds: a seed is listed twice");
        return seeds;
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<StrategyResult> results, string path)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var table = new Table().Title($"final and best test accuracy over seeds ({Markup.Escape(path)}/results.md)")
            .AddColumn("strategy").AddColumn(new TableColumn("final %").RightAligned()).AddColumn(new TableColumn("best %").RightAligned());
        foreach (var r in results)
            table.AddRow(r.Strategy, r.FinalAccuracy.Format(100), r.BestAccuracy.Format(100));
        console.Write(table);
    }
}
