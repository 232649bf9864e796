using FedLayers.Data;
using Spectre.Console;

namespace FedLayers.Cli;

/// <summary>What <c>fedlayers inspect --dataset D</c> prints: load time, samples per split,
/// the class balance, and the samples of each domain.</summary>
public static class DatasetDescription
{
    public static void Write(TextWriter output, string name, DatasetSplits data, TimeSpan loadTime)
    {
        var (train, test, classes) = data switch
        {
            TensorSplits t => (t.Train.Labels, t.Test.Labels, t.Train.ClassNames),
            TextSplits t => (t.Train.Labels, t.Test.Labels, t.Train.ClassNames),
            _ => throw new ArgumentException("unknown kind of dataset", nameof(data)),
        };
        output.WriteLine($"{name}: {train.Length:N0} training and {test.Length:N0} test samples, {classes.Count} classes, loaded in {loadTime.TotalSeconds:F2} s");

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        var balance = new Table().Title("class balance")
            .AddColumn("class").AddColumn(new TableColumn("train").RightAligned()).AddColumn(new TableColumn("share").RightAligned())
            .AddColumn(new TableColumn("test").RightAligned());
        for (int c = 0; c < classes.Count; c++)
        {
            int inTrain = train.Count(l => l == c);
            balance.AddRow(Markup.Escape(classes[c]), $"{inTrain:N0}", $"{100.0 * inTrain / train.Length:F1} %", $"{test.Count(l => l == c):N0}");
        }
        console.Write(balance);

        if (data.TrainDomains is not { } domains || domains.All(d => d is null))
        {
            output.WriteLine("no domains (--partition domain and source need them)");
            return;
        }
        var byDomain = new Table().Title("training samples per domain").AddColumn("domain").AddColumn(new TableColumn("train").RightAligned());
        foreach (var group in domains.GroupBy(d => d ?? "(none)").OrderBy(g => g.Key, StringComparer.Ordinal))
            byDomain.AddRow(Markup.Escape(group.Key), $"{group.Count():N0}");
        console.Write(byDomain);
    }
}
