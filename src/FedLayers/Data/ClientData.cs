using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>
/// Data that comes split by client already (each organisation's own samples), held in memory: turns
/// it into the <see cref="TensorSplits"/> a run reads. Each client's samples carry that client's own
/// domain, so the <c>domain</c> partition with as many clients as there are sets gives every client
/// exactly its own samples, in order. The inputs are copied; the caller keeps its tensors.
/// </summary>
public static class ClientData
{
    /// <summary>Per-client tensors: inputs [n_i, ...] (the same sample shape and dtype everywhere) and int64 or int32 labels [n_i].</summary>
    /// <param name="clients">per client, in client order, its inputs and labels; at least one client.</param>
    /// <param name="test">the held-out test set, in the same form.</param>
    /// <param name="classNames">one name per class; labels are indices into it.</param>
    /// <exception cref="ArgumentException">a client without samples, inputs and labels of different lengths, another sample
    /// shape or dtype, or a label outside the classes; the message names the client and, for a label, the sample index.</exception>
    public static TensorSplits FromTensors(IReadOnlyList<(Tensor Inputs, Tensor Labels)> clients, (Tensor Inputs, Tensor Labels) test,
        IReadOnlyList<string> classNames)
    {
        if (clients.Count == 0) throw new ArgumentException("expected the samples of at least one client", nameof(clients));
        var shape = clients[0].Inputs.shape[1..];
        var dtype = clients[0].Inputs.dtype;
        var parts = clients.Select((c, i) => (c.Inputs, Labels: LabelsOf(c.Labels, c.Inputs, $"client {i}", nameof(clients), shape, dtype, classNames.Count))).ToList();
        var testLabels = LabelsOf(test.Labels, test.Inputs, "the test set", nameof(test), shape, dtype, classNames.Count);
        var train = new LabeledDataset(cat(parts.Select(p => p.Inputs).ToArray()).cpu(), [.. parts.SelectMany(p => p.Labels)], classNames);
        var domains = parts.SelectMany((p, client) => Enumerable.Repeat(DomainOf(client), p.Labels.Length)).ToArray();
        return new TensorSplits(train, new LabeledDataset(test.Inputs.clone().cpu(), testLabels, classNames), domains);
    }

    /// <summary>Per-client sequences of samples: each input one sample (the same shape and dtype everywhere), each label a class index.</summary>
    /// <param name="clients">per client, in client order, its samples; at least one client.</param>
    /// <param name="test">the held-out test set's samples.</param>
    /// <param name="classNames">one name per class; labels are indices into it.</param>
    /// <exception cref="ArgumentException">a client without samples, a sample of another shape or dtype than the first one,
    /// or a label outside the classes; the message names the client and the sample index.</exception>
    public static TensorSplits FromSamples(IReadOnlyList<IEnumerable<(Tensor Input, long Label)>> clients,
        IEnumerable<(Tensor Input, long Label)> test, IReadOnlyList<string> classNames)
    {
        if (clients.Count == 0) throw new ArgumentException("expected the samples of at least one client", nameof(clients));
        long[]? shape = null;
        ScalarType dtype = default;
        (Tensor Inputs, Tensor Labels) Stack(IEnumerable<(Tensor Input, long Label)> samples, string owner, string field)
        {
            var inputs = new List<Tensor>();
            var labels = new List<long>();
            foreach (var (input, label) in samples)
            {
                string where = $"{owner}, sample {inputs.Count}";
                if (shape is null) (shape, dtype) = (input.shape, input.dtype);
                else if (!input.shape.SequenceEqual(shape) || input.dtype != dtype)
                    throw new ArgumentException($"{where}: a {input.dtype} sample of shape {Shape(input.shape)}, expected {dtype} of shape {Shape(shape)} like the first sample", field);
                RequireClass(label, classNames.Count, where, field);
                inputs.Add(input);
                labels.Add(label);
            }
            if (inputs.Count == 0) throw new ArgumentException($"{owner} has no samples", field);
            return (stack(inputs), tensor(labels.ToArray()));
        }
        var parts = clients.Select((samples, i) => Stack(samples, $"client {i}", nameof(clients))).ToList();
        var testPart = Stack(test, "the test set", nameof(test));
        try
        {
            return FromTensors(parts, testPart, classNames);
        }
        finally
        {
            foreach (var (inputs, labels) in parts.Append(testPart))
            {
                inputs.Dispose();
                labels.Dispose();
            }
        }
    }

    /// <summary>The domain the samples of client <paramref name="client"/> carry (names sort in client order).</summary>
    public static string DomainOf(int client) => $"client-{client:D6}";

    private static long[] LabelsOf(Tensor labels, Tensor inputs, string owner, string field, long[] shape, ScalarType dtype, int classes)
    {
        if (inputs.shape.Length == 0 || inputs.shape[0] == 0) throw new ArgumentException($"{owner} has no samples", field);
        if (!inputs.shape[1..].SequenceEqual(shape) || inputs.dtype != dtype)
            throw new ArgumentException($"{owner}: {inputs.dtype} samples of shape {Shape(inputs.shape[1..])}, expected {dtype} of shape {Shape(shape)} like client 0's", field);
        if (labels.dtype is not (ScalarType.Int64 or ScalarType.Int32) || labels.shape.Length != 1)
            throw new ArgumentException($"{owner}: labels must be a 1-D int64 or int32 tensor, got {labels.dtype} of shape {Shape(labels.shape)}", field);
        if (labels.shape[0] != inputs.shape[0])
            throw new ArgumentException($"{owner}: {inputs.shape[0]} inputs but {labels.shape[0]} labels", field);
        using var asLong = labels.to(ScalarType.Int64).cpu();
        var values = asLong.data<long>().ToArray();
        for (int i = 0; i < values.Length; i++) RequireClass(values[i], classes, $"{owner}, sample {i}", field);
        return values;
    }

    private static void RequireClass(long label, int classes, string where, string field)
    {
        if (label < 0 || label >= classes)
            throw new ArgumentException($"{where}: label {label} is not a class; expected 0 to {classes - 1} ({classes} class names)", field);
    }

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";
}
