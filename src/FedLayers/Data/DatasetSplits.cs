namespace FedLayers.Data;

/// <summary>A dataset's training and test parts: as tensors a model reads directly (images, token ids), or as texts still to tokenise.</summary>
public abstract record DatasetSplits : IDisposable
{
    /// <summary>Per training sample, its domain (a source, a language, an image style), or null when the dataset has none.</summary>
    public abstract IReadOnlyList<string?>? TrainDomains { get; }

    public virtual void Dispose() { }
}

public sealed record TensorSplits(LabeledDataset Train, LabeledDataset Test, IReadOnlyList<string?>? Domains = null) : DatasetSplits
{
    public static TensorSplits Of((LabeledDataset Train, LabeledDataset Test) parts) => new(parts.Train, parts.Test);

    public override IReadOnlyList<string?>? TrainDomains => Domains;

    public override void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

public sealed record TextSplits(TextCorpus Train, TextCorpus Test) : DatasetSplits
{
    public override IReadOnlyList<string?>? TrainDomains => Train.Domains;
}
