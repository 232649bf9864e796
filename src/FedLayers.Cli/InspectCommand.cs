using System.CommandLine;
using FedLayers.Data;
using FedLayers.Models;
using FedLayers.Setup;
using Spectre.Console;

namespace FedLayers.Cli;

/// <summary><c>fedlayers inspect</c>: a model's layer groups with their roles and costs, or, given only
/// <c>--dataset</c>, the dataset: samples, class balance, domains and load time.</summary>
public static class InspectCommand
{
    public static Command Create(Registries registries, TextWriter output)
    {
        var command = new Command("inspect",
            "Print a model's layer groups in order (role, parameters, forward FLOPs per sample), or with only --dataset the dataset's samples, class balance, domains and load time.");
        var model = new Option<string>("--model") { Description = $"Model: {string.Join(", ", registries.Models.Spellings)}." };
        var dataset = new Option<string>("--dataset") { Description = "Dataset that fixes the input shape and classes (default: fashion-mnist for image models, none for text models)." };
        var classes = new SettingOption<int>(Setting.Int("classes", 2, "Text models without --dataset: classes of the head.", min: 2));
        var imageSize = new SettingOption<int?>(BuiltInModels.ImageSize, OptionHelp.Describe(BuiltInModels.ImageSize, registries));
        var maxSeqLen = new SettingOption<int>(BuiltInModels.MaxSeqLen, OptionHelp.Describe(BuiltInModels.MaxSeqLen, registries));
        foreach (var option in new[] { model, dataset, imageSize.Option, maxSeqLen.Option, classes.Option }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var config = RunConfig.Defaults(registries)
                .With(BuiltInModels.ImageSize, imageSize.Read(parse)).With(BuiltInModels.MaxSeqLen, maxSeqLen.Read(parse));
            if (parse.GetValue(model) is not { } name)
            {
                var spec = parse.GetValue(dataset) ?? throw new UserInputException("inspect: expected --model, --dataset, or both");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                using var loaded = DataLoading.Load(config, spec, seed: 0);
                DatasetDescription.Write(output, spec, loaded, clock.Elapsed);
                return 0;
            }
            config = config.With(RunSettings.Model, name);
            SettingUse.CheckEveryChangedSettingIsRead(config);
            var (entry, path) = registries.Models.Find(name);
            var source = new ModelSource(config, path);
            LayeredModel Create(IReadOnlyList<long> shape, int classCount, PixelNormalization? pixels) =>
                FederationSetup.CreateModel(config, shape, classCount, pixels);
            if (parse.GetValue(dataset) is null && (entry.ReadsText?.Invoke(source) ?? entry.TextEncoder is not null))
            {
                using var textModel = Create([config.Get(BuiltInModels.MaxSeqLen)], classes.Read(parse), null);
                Write(output, name, textModel.Groups);
                return 0;
            }
            using var data = DataLoading.Load(config, parse.GetValue(dataset) ?? "fashion-mnist", seed: 0);
            using var built = data switch
            {
                TensorSplits images => Create(images.Train.Inputs.shape[1..], images.Train.NumClasses, images.Train.Pixels),
                TextSplits texts => Create([config.Get(BuiltInModels.MaxSeqLen)], texts.Train.ClassNames.Count, null),
                _ => throw new ArgumentException("unknown kind of dataset"),
            };
            Write(output, name, built.Groups);
            if (data is TextSplits corpus) WriteTokenisation(output, FederationSetup.TextEncoderOf(config), corpus, config.Get(BuiltInModels.MaxSeqLen));
            return 0;
        });
        return command;
    }

    /// <summary>Tokenises the dataset as a run would (through the token cache), so the time shows what a run pays for it.</summary>
    private static void WriteTokenisation(TextWriter output, ITextEncoder encoder, TextSplits corpus, int maxSeqLen)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var train = encoder.Encode(corpus.Train.Texts);
        using var test = encoder.Encode(corpus.Test.Texts);
        output.WriteLine($"tokenised {corpus.Train.Count + corpus.Test.Count:N0} texts to {maxSeqLen} tokens each in {clock.Elapsed.TotalSeconds:F2} s");
    }

    private static void Write(TextWriter output, string name, IReadOnlyList<LayerGroup> groups)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var table = new Table().Title($"{Markup.Escape(name)}: layer groups, input to output")
            .AddColumn("group").AddColumn("role")
            .AddColumn(new TableColumn("parameters").RightAligned()).AddColumn(new TableColumn("forward FLOPs / sample").RightAligned());
        foreach (var g in groups)
            table.AddRow(g.Name, g.Role.ToString(), $"{g.ParameterCount:N0}", $"{g.ForwardFlopsPerSample:N0}");
        foreach (var role in Enum.GetValues<LayerRole>())
        {
            var ofRole = groups.Where(g => g.Role == role).ToList();
            table.AddRow($"[bold]total {role.ToString().ToLowerInvariant()}[/] ({ofRole.Count})", "",
                $"{ofRole.Sum(g => g.ParameterCount):N0}", $"{ofRole.Sum(g => g.ForwardFlopsPerSample):N0}");
        }
        table.AddRow("[bold]total[/]", "", $"{groups.Sum(g => g.ParameterCount):N0}", $"{groups.Sum(g => g.ForwardFlopsPerSample):N0}");
        console.Write(table);
    }
}
