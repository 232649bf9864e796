namespace FedLayers.Data;

/// <summary>A dataset's training and test parts: as tensors a model reads directly (images, token ids), or as texts still to tokenise.</summary>
public abstract record DatasetSplits : IDisposable
{
    /// <summary>Per training sample, its domain (a source, a language, an image style), or null when the dataset has none.</summary>
    public abstract IReadOnlyList<string?>? TrainDomains { get; }

    /// <summary>Frees the tensors the splits own (the training and test inputs); a no-op for texts.</summary>
    public virtual void Dispose() { }
}

/// <summary>Splits already as tensors; the splits own both datasets and dispose them.</summary>
/// <param name="Train">The training part, which the partition splits among the clients.</param>
/// <param name="Test">The held-out part the server evaluates the global model on.</param>
/// <param name="Domains">Per training sample, its domain, or null when the dataset has none.</param>
public sealed record TensorSplits(LabeledDataset Train, LabeledDataset Test, IReadOnlyList<string?>? Domains = null) : DatasetSplits
{
    /// <summary>Splits without domains from a loader's (train, test) pair, e.g. <see cref="FashionMnist.Load"/>'s.</summary>
    public static TensorSplits Of((LabeledDataset Train, LabeledDataset Test) parts) => new(parts.Train, parts.Test);

    /// <inheritdoc/>
    public override IReadOnlyList<string?>? TrainDomains => Domains;

    /// <summary>Disposes <see cref="Train"/> and <see cref="Test"/>.</summary>
    public override void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}

/// <summary>Splits as labelled texts, which the model's tokenizer turns into token ids (<see cref="TextCorpus.Encode"/>).</summary>
/// <param name="Train">The training texts, which the partition splits among the clients.</param>
/// <param name="Test">The held-out texts the server evaluates the global model on.</param>
public sealed record TextSplits(TextCorpus Train, TextCorpus Test) : DatasetSplits
{
    /// <inheritdoc/>
    public override IReadOnlyList<string?>? TrainDomains => Train.Domains;
}
