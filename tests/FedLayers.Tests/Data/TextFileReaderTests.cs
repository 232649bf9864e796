using System.Text;
using FedLayers.Data;

namespace FedLayers.Tests.Data;

public class TextFileReaderTests
{
    private static TextCorpus ReadText(string name, string contents, TempFolder folder)
    {
        var path = folder.Path(name);
        File.WriteAllText(path, contents);
        return TextFileReader.Read(path);
    }

    private static void AssertRejected(string name, string contents, params string[] expected)
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<UserInputException>(() => ReadText(name, contents, folder));
        Assert.Contains(folder.Path(name), error.Message);
        foreach (var e in expected) Assert.Contains(e, error.Message);
    }

    [Fact]
    public void ReadsCsvWithQuotedCommasQuotesAndNewlines()
    {
        using var folder = new TempFolder();
        var corpus = ReadText("mail.csv", "label,text,domain\r\nspam,\"Win, now!\",en\nham,\"He said \"\"hi\"\"\nbye\",de\nham,plain,\n", folder);
        Assert.Equal(["Win, now!", "He said \"hi\"\nbye", "plain"], corpus.Texts);
        Assert.Equal(["ham", "spam"], corpus.ClassNames);
        Assert.Equal([1L, 0L, 0L], corpus.Labels);
        Assert.Equal(["en", "de", null], corpus.Domains);
    }

    [Fact]
    public void ReadsJsonLinesWithNumericLabels()
    {
        using var folder = new TempFolder();
        var corpus = ReadText("news.jsonl", "{\"text\": \"a\", \"label\": 1, \"domain\": \"fr\"}\n\n{\"text\": \"b\", \"label\": 0}\n", folder);
        Assert.Equal(["a", "b"], corpus.Texts);
        Assert.Equal(["0", "1"], corpus.ClassNames);
        Assert.Equal([1L, 0L], corpus.Labels);
        Assert.Equal(["fr", null], corpus.Domains);
    }

    [Fact]
    public void BadFilesAreNamedWithTheLine()
    {
        AssertRejected("a.csv", "text,category\nx,y\n", "'label'");
        AssertRejected("b.csv", "text,label\nx,1\ny,2,3\n", ":3", "3 fields");
        AssertRejected("c.csv", "text,label\n\"open,1\n", "never closed");
        AssertRejected("d.jsonl", "{\"text\": \"x\", \"label\": 1}\n{\"text\": \"y\"\n", ":2", "not valid JSON");
        AssertRejected("e.jsonl", "{\"text\": \"x\"}\n", ":1", "'label'");
        AssertRejected("f.csv", "text,label\nx,1\ny,1\n", "two classes");
        AssertRejected("g.txt", "x", ".csv or .jsonl");
    }

    [Fact]
    public void NonUtf8TextIsNamedWithItsLine()
    {
        using var folder = new TempFolder();
        var path = folder.Path("latin1.csv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("text,label\nok,1\ncaf"), 0xE9, .. Encoding.UTF8.GetBytes(",2\n")]);
        var error = Assert.Throws<UserInputException>(() => TextFileReader.Read(path));
        Assert.Contains($"{path}:3", error.Message);
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void TheStratifiedSplitKeepsEachClassShareAndIsSeeded()
    {
        var corpus = new TextCorpus(Enumerable.Range(0, 100).Select(i => $"t{i}").ToList(),
            Enumerable.Range(0, 100).Select(i => i < 80 ? 0L : 1L).ToArray(), new string?[100], ["a", "b"]);
        var (train, test) = corpus.StratifiedSplit(0.25, new Random(3));
        Assert.Equal(20, test.Labels.Count(l => l == 0));
        Assert.Equal(5, test.Labels.Count(l => l == 1));
        Assert.Equal(100, train.Count + test.Count);
        Assert.Empty(train.Texts.Intersect(test.Texts));
        Assert.Equal(test.Texts, corpus.StratifiedSplit(0.25, new Random(3)).Test.Texts);
    }
}
