using System.Text.Json;
using FedLayers.Tests.Cli;

namespace FedLayers.Tests.Models;

/// <summary>
/// The end-to-end check shared by the text checkpoint tests: a two-class text file whose classes
/// use disjoint words, and a short federated fine-tuning of the checkpoint on it through the CLI
/// that must reach 80 % test accuracy.
/// </summary>
internal static class TextCheckpointRun
{
    /// <param name="wordsByClass">the words of class 0 and of class 1.</param>
    public static void AssertLearns(TempFolder folder, string checkpoint, string[][] wordsByClass, int wordsPerText, int maxSeqLen, int rounds, int seed)
    {
        var random = new Random(seed);
        var lines = new List<string> { "text,label" };
        for (int i = 0; i < 120; i++)
        {
            var words = wordsByClass[i % 2];
            lines.Add($"{string.Join(' ', Enumerable.Range(0, wordsPerText).Select(_ => words[random.Next(words.Length)]))},{i % 2}");
        }
        File.WriteAllLines(folder.Path("texts.csv"), lines);
        var run = folder.Path("run");
        var (code, output, error) = CliRunner.Run("simulate", "--model", $"hf:{checkpoint}", "--dataset", $"textfile:{folder.Path("texts.csv")}",
            "--max-seq-len", $"{maxSeqLen}", "--rounds", $"{rounds}", "--clients", "4", "--clients-per-round", "2", "--local-steps", "10",
            "--batch-size", "8", "--lr", "0.1", "--partition", "iid", "--min-layers", "1", "--max-layers", "3", "--out", run);
        Assert.True(code == 0, error);
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement;
        Assert.True(summary.GetProperty("best_accuracy").GetDouble() >= 0.8, output);
    }
}
