using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// What one client sends back after local training: the change (new minus old) of every
/// tensor of the groups it trained, and nothing else, with its number of training samples.
/// </summary>
/// <param name="clientId">the client that trained.</param>
/// <param name="sampleCount">its number of training samples.</param>
/// <param name="trainedGroups">the groups it trained.</param>
/// <param name="deltas">new minus old weights by tensor name; owned by the update.</param>
/// <param name="trainLoss">its mean training loss.</param>
/// <param name="trainingFlops">the arithmetic of its training.</param>
/// <param name="uploadBytes">the bytes the deltas took on the wire, when they travelled in another format than they are held in
/// (<see cref="TransferDtype"/>); null: their bytes as held.</param>
public sealed class ClientUpdate(int clientId, int sampleCount, IReadOnlyList<string> trainedGroups,
    IReadOnlyDictionary<string, Tensor> deltas, double trainLoss, double trainingFlops = 0, long? uploadBytes = null) : IDisposable
{
    /// <summary>The client that trained.</summary>
    public int ClientId { get; } = clientId;

    /// <summary>The client's number of training samples: its weight in the aggregation.</summary>
    public int SampleCount { get; } = sampleCount;

    /// <summary>The names of the groups the client trained.</summary>
    public IReadOnlyList<string> TrainedGroups { get; } = trainedGroups;

    /// <summary>New minus old weights, by tensor name (state-dict key), for every tensor of <see cref="TrainedGroups"/>; owned by this update.</summary>
    public IReadOnlyDictionary<string, Tensor> Deltas { get; } = deltas;

    /// <summary>Mean training loss over the samples seen in local training.</summary>
    public double TrainLoss { get; } = trainLoss;

    /// <summary>The arithmetic of the local training (<see cref="Federation.TrainingFlops"/>); 0 when the client did not say.</summary>
    public double TrainingFlops { get; } = trainingFlops;

    /// <summary>The payload size this update takes on the wire: raw tensor bytes, in the format they travel in.</summary>
    public long UploadBytes { get; } = uploadBytes ?? deltas.Values.Sum(t => t.numel() * t.ElementSize);

    /// <summary>What in this update is not a finite number (the train loss, the FLOPs or a tensor, by name), or null when all of it is:
    /// a client whose training diverged, or one that lies, must not reach the global weights.</summary>
    public string? NotFinite()
    {
        if (!double.IsFinite(TrainLoss)) return "its train loss";
        if (!double.IsFinite(TrainingFlops)) return "its training FLOPs";
        var tensor = Deltas.FirstOrDefault(d => d.Value.is_floating_point() && !AllFinite(d.Value)).Key;
        return tensor is null ? null : $"tensor '{tensor}'";
    }

    /// <summary>Whether every value of the floating-point <paramref name="tensor"/> is finite. Narrower than float64, in one pass:
    /// their float64 sum cannot overflow (it would take 10^269 values of float32's largest), so it is finite exactly when every
    /// value is; isfinite makes several passes and a mask as large as the tensor (18 ms against 4 ms for a ResNet18 top-1 update).</summary>
    private static bool AllFinite(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.dtype == ScalarType.Float64
            ? isfinite(tensor).all().item<bool>()
            : double.IsFinite(tensor.sum(ScalarType.Float64).item<double>());
    }

    /// <summary>Disposes the delta tensors.</summary>
    public void Dispose()
    {
        foreach (var t in Deltas.Values) t.Dispose();
    }
}
