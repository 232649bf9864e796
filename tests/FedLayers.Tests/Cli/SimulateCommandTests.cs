using System.Text.Json;
using FedLayers.Federation;
using FedLayers.Setup;

namespace FedLayers.Tests.Cli;

/// <summary>The simulate command end to end on the real Fashion-MNIST, kept short with --local-steps.</summary>
public class SimulateCommandTests
{
    [Theory]
    [InlineData("full")]
    [InlineData("top")]
    [InlineData("bottom")]
    [InlineData("both")]
    [InlineData("rgn")]
    [InlineData("snr")]
    [InlineData("strategic")]
    public void EveryStrategyRunsAndWritesTheRunFolder(string strategy)
    {
        using var folder = new TempFolder();
        var run = folder.Path("run");
        var (code, output, error) = CliRunner.Run("simulate", "--model", "small-cnn", "--strategy", strategy, "--rounds", "2", "--clients", "10",
            "--clients-per-round", "4", "--local-steps", "3", "--probe-batches", "1", "--out", run);
        Assert.True(code == 0, error);
        Assert.Contains("Run summary", output);

        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))).RootElement;
        Assert.Equal(strategy, config.GetProperty("strategy").GetString());
        Assert.Equal(4, config.GetProperty("clients-per-round").GetInt32());

        var metrics = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([0, 1, 2], metrics.Select(m => m.GetProperty("round").GetInt32()));
        foreach (var key in new[] { "test_accuracy", "test_loss", "train_loss", "seconds", "upload_bytes", "train_flops", "unselected_gradient_share", "disagreement" })
            Assert.True(metrics[^1].TryGetProperty(key, out _), $"metrics.jsonl lacks {key}");
        Assert.True(metrics[^1].GetProperty("upload_bytes").GetInt64() > 0);
        // the gradient share needs a probe: only the probing strategies have one without --diagnostics
        bool probes = strategy is "rgn" or "snr" or "strategic";
        Assert.Equal(probes, metrics[^1].GetProperty("unselected_gradient_share").ValueKind == JsonValueKind.Number);

        var modelGroups = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))).RootElement.GetProperty("groups");
        Assert.Equal(["stem", "blocks.0", "blocks.1", "blocks.2", "blocks.3", "blocks.4", "blocks.5", "head"],
            modelGroups.EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        var events = Assert.Single(Directory.GetFiles(Path.Combine(run, "tensorboard"), "events.out.tfevents.*"));
        Assert.Contains("test/accuracy", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(events)));

        var selections = File.ReadAllLines(Path.Combine(run, "selections.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, selections.Count);
        double clientFlops = selections[^1].GetProperty("clients").EnumerateArray().Sum(c => c.GetProperty("train_flops").GetDouble());
        Assert.True(clientFlops > 0);
        Assert.Equal(clientFlops, metrics[^1].GetProperty("train_flops").GetDouble(), 6);
        foreach (var client in selections.SelectMany(s => s.GetProperty("clients").EnumerateArray()))
        {
            var groups = client.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList();
            Assert.Contains("head", groups);
            Assert.DoesNotContain("stem", groups);
            int layers = groups.Count(g => g.StartsWith("blocks."));
            if (strategy == "full") Assert.Equal(6, layers);
            else Assert.InRange(layers, 0, client.GetProperty("budget").GetDouble());
        }
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement;
        Assert.Equal(2, summary.GetProperty("rounds").GetInt32());
    }

    [Fact]
    public void TheDefaultPretrainedResNetImprovesOnFashionMnistInTwoRounds()
    {
        using var folder = new TempFolder();
        var run = folder.Path("run");
        var (code, _, error) = CliRunner.Run("simulate", "--rounds", "2", "--clients", "10", "--clients-per-round", "3",
            "--local-steps", "5", "--probe-batches", "1", "--out", run);
        Assert.True(code == 0, error);
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement;
        Assert.True(summary.GetProperty("final_accuracy").GetDouble() > summary.GetProperty("initial_accuracy").GetDouble() + 0.2,
            File.ReadAllText(Path.Combine(run, "metrics.jsonl")));
        var groups = File.ReadAllLines(Path.Combine(run, "selections.jsonl"))
            .SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("clients").EnumerateArray())
            .SelectMany(c => c.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!)).ToHashSet();
        Assert.Contains("head", groups);
        Assert.DoesNotContain("stem", groups);
        Assert.Contains(groups, g => g.StartsWith("layer"));
    }

    /// <summary>A small two-class text file: offers against meeting notes, in CSV.</summary>
    private static string WriteMailCsv(TempFolder folder)
    {
        var random = new Random(4);
        string[] spam = ["win", "free", "money", "offer", "click", "prize", "cash", "now"];
        string[] ham = ["meeting", "agenda", "project", "report", "notes", "tuesday", "review", "team"];
        var lines = new List<string> { "text,label" };
        for (int i = 0; i < 160; i++)
        {
            var words = i % 2 == 0 ? spam : ham;
            lines.Add($"\"{string.Join(' ', Enumerable.Range(0, 8).Select(_ => words[random.Next(words.Length)]))}\",{(i % 2 == 0 ? "spam" : "ham")}");
        }
        var path = folder.Path("mail.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void MiniLmFineTunesOnATextFile()
    {
        using var folder = new TempFolder();
        var run = folder.Path("run");
        var (code, output, error) = CliRunner.Run("simulate", "--model", "minilm", "--dataset", $"textfile:{WriteMailCsv(folder)}",
            "--max-seq-len", "16", "--rounds", "2", "--clients", "4", "--clients-per-round", "2", "--local-steps", "4",
            "--batch-size", "16", "--lr", "0.05", "--partition", "iid", "--strategy", "top", "--out", run);
        Assert.True(code == 0, error);
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement;
        Assert.True(summary.GetProperty("final_accuracy").GetDouble() >= 0.9, output);
        var groups = File.ReadAllLines(Path.Combine(run, "selections.jsonl"))
            .SelectMany(l => JsonDocument.Parse(l).RootElement.GetProperty("clients").EnumerateArray())
            .SelectMany(c => c.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!)).ToHashSet();
        Assert.Contains("encoder.layer.5", groups);
        Assert.DoesNotContain("embeddings", groups);
    }

    [Fact]
    public void DomainPartitionGivesEveryClientOneLanguageOfATextFile()
    {
        using var folder = new TempFolder();
        string[] languages = ["de", "en", "fr"];
        var lines = Enumerable.Range(0, 150).Select(i => System.Text.Json.JsonSerializer.Serialize(new
        {
            text = i % 2 == 0 ? "win free money offer now" : "team meeting agenda project report",
            label = i % 2 == 0 ? "spam" : "ham",
            domain = languages[i % 3],
        }));
        File.WriteAllLines(folder.Path("mail.jsonl"), lines);
        var run = folder.Path("run");
        var (code, _, error) = CliRunner.Run("simulate", "--model", "minilm", "--dataset", $"textfile:{folder.Path("mail.jsonl")}",
            "--partition", "domain", "--clients", "6", "--clients-per-round", "2", "--rounds", "1", "--local-steps", "1",
            "--max-seq-len", "12", "--strategy", "top", "--out", run);
        Assert.True(code == 0, error);
        var clients = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "partition.json"))).RootElement.GetProperty("clients").EnumerateArray().ToList();
        Assert.Equal(6, clients.Count);
        Assert.All(clients, c => Assert.Equal(1, c.GetProperty("domains").GetArrayLength()));
        Assert.Equal(languages, clients.Select(c => c.GetProperty("domains")[0].GetString()!).Distinct().Order());
    }

    [Fact]
    public void AnImageModelOnATextFileIsNamed()
    {
        using var folder = new TempFolder();
        var (code, _, error) = CliRunner.Run("simulate", "--model", "resnet18", "--dataset", $"textfile:{WriteMailCsv(folder)}", "--out", folder.Path("run"));
        Assert.Equal(2, code);
        Assert.Contains("--model resnet18", error);
    }

    [Fact]
    public void MaxSamplesPerClientCapsEveryShardAndPartitionJsonDescribesThem()
    {
        using var folder = new TempFolder();
        var run = folder.Path("run");
        var (code, _, error) = CliRunner.Run("simulate", "--model", "small-cnn", "--rounds", "1", "--clients", "8", "--clients-per-round", "3",
            "--local-epochs", "1", "--max-samples-per-client", "40", "--min-samples-per-client", "20", "--budget-distribution", "reference", "--out", run);
        Assert.True(code == 0, error);
        var partition = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "partition.json"))).RootElement;
        Assert.Equal(10, partition.GetProperty("classes").GetArrayLength());
        Assert.Equal("reference", partition.GetProperty("budget_distribution").GetString());
        var clients = partition.GetProperty("clients").EnumerateArray().ToList();
        Assert.Equal(8, clients.Count);
        foreach (var client in clients)
        {
            int samples = client.GetProperty("samples").GetInt32();
            Assert.InRange(samples, 20, 40);
            Assert.Equal(samples, client.GetProperty("label_histogram").EnumerateArray().Sum(c => c.GetInt32()));
        }
        Assert.Equal(ClientBudgets.DrawReference(42, 8, 1, 4).Select(b => (double)b), clients.Select(c => c.GetProperty("budget").GetDouble()));
        var png = File.ReadAllBytes(Path.Combine(run, "partition.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        foreach (var client in JsonDocument.Parse(File.ReadAllLines(Path.Combine(run, "selections.jsonl"))[0]).RootElement.GetProperty("clients").EnumerateArray())
            Assert.InRange(client.GetProperty("samples").GetInt32(), 20, 40);
    }

    [Fact]
    public void GivingLocalEpochsSwitchesFromTheDefaultStepsToEpochs()
    {
        var registries = Registries.BuiltIn();
        var epochs = RunConfigJson.Resolve(registries, null, new Dictionary<Setting, object?> { [RunSettings.LocalEpochs] = 2 });
        Assert.Null(epochs.Get(RunSettings.LocalSteps));
        Assert.Equal(2, epochs.Get(RunSettings.LocalEpochs));
        var both = RunConfigJson.Resolve(registries, null, new Dictionary<Setting, object?> { [RunSettings.LocalEpochs] = 2, [RunSettings.LocalSteps] = 7 });
        Assert.Equal(7, both.Get(RunSettings.LocalSteps));
        Assert.Equal(10, RunConfigJson.Resolve(registries, null, new Dictionary<Setting, object?>()).Get(RunSettings.LocalSteps));
    }

    [Fact]
    public void CommandLineOptionsOverrideTheConfigFileAndTheResolvedConfigIsReusable()
    {
        using var folder = new TempFolder();
        var configFile = folder.Path("my.json");
        File.WriteAllText(configFile, """{ "rounds": 1, "clients": 6, "clients-per-round": 2, "strategy": "top", "local-steps": 2, "model": "small-cnn", "eval-samples": 200, "max-samples-per-client": 100 }""");
        var (code, _, error) = CliRunner.Run("simulate", "--config", configFile, "--strategy", "bottom", "--out", folder.Path("a"));
        Assert.True(code == 0, error);
        var resolved = folder.Path("a", "config.json");
        var config = JsonDocument.Parse(File.ReadAllText(resolved)).RootElement;
        Assert.Equal("bottom", config.GetProperty("strategy").GetString());
        Assert.Equal(6, config.GetProperty("clients").GetInt32());

        (code, _, error) = CliRunner.Run("simulate", "--config", resolved, "--out", folder.Path("b"));
        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllLines(folder.Path("a", "selections.jsonl")), File.ReadAllLines(folder.Path("b", "selections.jsonl")));
    }
}
