namespace FedLayers.Data;

/// <summary>A dataset's training and test parts: as tensors a model reads directly (images, token ids), or as texts still to tokenise.</summary>
public abstract record DatasetSplits : IDisposable
{
    public virtual void Dispose() { }
}

public sealed record TensorSplits(LabeledDataset Train, LabeledDataset Test) : DatasetSplits
{
    public static TensorSplits Of((LabeledDataset Train, LabeledDataset Test) parts) => new(parts.Train, parts.Test);

    public override void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

public sealed record TextSplits(TextCorpus Train, TextCorpus Test) : DatasetSplits;
