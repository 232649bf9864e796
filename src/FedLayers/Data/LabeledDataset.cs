using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>
/// Samples held in one CPU tensor (first dimension = sample) with integer class labels.
/// Clients do not copy it: a client's shard is a list of indices into it.
/// </summary>
public sealed class LabeledDataset : IDisposable
{
    /// <summary>Wraps <paramref name="inputs"/> without copying; the dataset owns the tensor from then on and disposes it.</summary>
    /// <param name="inputs">All samples, first dimension = sample, on the CPU.</param>
    /// <param name="labels">Per sample, its class index into <paramref name="classNames"/>.</param>
    /// <param name="classNames">The names of the classes, in label order.</param>
    /// <param name="pixels">For images, how the pixels were standardised; null otherwise.</param>
    /// <exception cref="ArgumentException">The number of inputs and labels differ.</exception>
    public LabeledDataset(Tensor inputs, long[] labels, IReadOnlyList<string> classNames, PixelNormalization? pixels = null)
    {
        if (inputs.shape[0] != labels.Length)
            throw new ArgumentException($"{inputs.shape[0]} inputs but {labels.Length} labels");
        Inputs = inputs;
        Labels = labels;
        ClassNames = classNames;
        Pixels = pixels;
    }

    /// <summary>All samples, e.g. [N, 1, 28, 28] float images or [N, T] token ids.</summary>
    public Tensor Inputs { get; }
    /// <summary>Per sample, its class index (0 .. <see cref="NumClasses"/> - 1).</summary>
    public long[] Labels { get; }

    /// <summary>The names of the classes, in label order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>For image datasets: how the pixels in <see cref="Inputs"/> were standardised.</summary>
    public PixelNormalization? Pixels { get; }

    /// <summary>The number of classes (of <see cref="ClassNames"/>).</summary>
    public int NumClasses => ClassNames.Count;

    /// <summary>The number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>The inputs and labels at the given indices, as new tensors on <paramref name="device"/>.</summary>
    public (Tensor Inputs, Tensor Labels) Batch(IReadOnlyList<int> indices, Device device) => (InputsAt(indices, device), LabelsAt(indices, device));

    /// <summary>The inputs at the given indices, as a new tensor on <paramref name="device"/>.</summary>
    public Tensor InputsAt(IReadOnlyList<int> indices, Device device)
    {
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        return Inputs.index_select(0, index).to(device);
    }

    /// <summary>The labels at the given indices, as a new int64 tensor on <paramref name="device"/>.</summary>
    public Tensor LabelsAt(IReadOnlyList<int> indices, Device device) => tensor(indices.Select(i => Labels[i]).ToArray()).to(device);

    /// <summary>A new dataset with the first <paramref name="count"/> samples (or all, if fewer).</summary>
    public LabeledDataset Take(int count)
    {
        count = Math.Min(count, Count);
        return new LabeledDataset(Inputs.narrow(0, 0, count).clone(), Labels[..count], ClassNames, Pixels);
    }

    /// <summary>A new dataset with the samples at <paramref name="indices"/>, in that order.</summary>
    public LabeledDataset Subset(IReadOnlyList<int> indices)
    {
        using var index = tensor(indices.Select(i => (long)i).ToArray());
        return new LabeledDataset(Inputs.index_select(0, index), indices.Select(i => Labels[i]).ToArray(), ClassNames, Pixels);
    }

    /// <summary>Disposes <see cref="Inputs"/>.</summary>
    public void Dispose() => Inputs.Dispose();
}
