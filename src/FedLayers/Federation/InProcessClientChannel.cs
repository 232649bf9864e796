using FedLayers.Data;
using FedLayers.Selection;

namespace FedLayers.Federation;

/// <summary>
/// Simulated clients in this process: each is a list of indices into one shared training set,
/// and all of them train on one shared module, one at a time, so memory does not grow with
/// the number of clients.
/// With a <see cref="TransferDtype"/> other than float32 the clients get the global weights, and the server their updates,
/// rounded as a deployment's would travel.
/// </summary>
public sealed class InProcessClientChannel : IClientChannel, IDisposable
{
    private readonly LabeledDataset trainSet;
    private readonly IReadOnlyList<int[]> shards;
    private readonly ClientTrainer trainer;
    private readonly GradientProber prober;
    private readonly LocalTrainingOptions training;
    private readonly int seed;
    private readonly CrossRoundPrefixCache? carryover;
    private readonly TransferDtype transfer;
    private (int Round, ModelState Weights)? received;
    private (int Round, GroupDigests Digests)? receivedDigests;

    /// <summary>One simulated client per shard.</summary>
    /// <param name="trainSet">the shared training set.</param>
    /// <param name="shards">per client, its sample indices into <paramref name="trainSet"/>; client i has shard i.</param>
    /// <param name="trainer">trains every client on the one shared module.</param>
    /// <param name="prober">probes every client on the one shared module.</param>
    /// <param name="training">the local training options; <see cref="LocalTrainingOptions.ForRound"/> gives each round's.</param>
    /// <param name="seed">the run's seed: each client's batch order is drawn from it, the round and the client id.</param>
    /// <param name="carryover">keeps the clients' frozen-prefix outputs from round to round under one budget; null: each
    /// training keeps its own only.</param>
    /// <param name="transfer">the format weights and updates would travel in; the clients see them rounded to it.</param>
    public InProcessClientChannel(LabeledDataset trainSet, IReadOnlyList<int[]> shards, ClientTrainer trainer,
        GradientProber prober, LocalTrainingOptions training, int seed, CrossRoundPrefixCache? carryover = null,
        TransferDtype transfer = TransferDtype.Float32)
    {
        this.carryover = carryover;
        this.transfer = transfer;
        this.trainSet = trainSet;
        this.shards = shards;
        this.trainer = trainer;
        this.prober = prober;
        this.training = training;
        this.seed = seed;
        Clients = shards.Select((s, id) => new ClientDescriptor(id, s.Length)).ToList();
        Available = Enumerable.Range(0, shards.Count).ToHashSet();
    }

    /// <inheritdoc/>
    public IReadOnlyList<ClientDescriptor> Clients { get; }

    /// <summary>Simulated clients are always there.</summary>
    public IReadOnlySet<int> Available { get; }

    /// <summary>Returns at once: simulated clients are always available.</summary>
    public Task WaitForClientsAsync(int count, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Returns at once: simulated clients are always available.</summary>
    public Task WaitForClientAsync(int clientId, CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>In-process clients read the global weights where they are.</summary>
    public long? SentBytes => null;

    /// <inheritdoc/>
    public Task<LayerProbe> ProbeAsync(ProbeRequest request, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var random = BatchOrder.ProbeStream(seed, request.Round, request.ClientId);
        return Task.FromResult(prober.Probe(Received(request.Round, request.Global), trainSet, shards[request.ClientId], request.ProbeBatches, training.BatchSize, random));
    }

    /// <inheritdoc/>
    public Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var random = BatchOrder.TrainingStream(seed, request.Round, request.ClientId);
        var weights = Received(request.Round, request.Global);
        return Task.FromResult(Sent(trainer.Train(request.ClientId, weights, trainSet, shards[request.ClientId],
            request.TrainedGroups, training.ForRound(request.Round), random, carryover, carryover is null ? null : DigestsOf(request.Round, weights))));
    }

    /// <summary>The digests of the weights the clients of <paramref name="round"/> train from, shared by them: made once per round
    /// (on first use, group by group), since the weights change only between rounds.</summary>
    private GroupDigests DigestsOf(int round, ModelState weights)
    {
        if (receivedDigests?.Round != round) receivedDigests = (round, new GroupDigests(weights, trainer.Groups));
        return receivedDigests.Value.Digests;
    }

    /// <summary>The global weights as the clients receive them: rounded once per round (they change only between rounds).</summary>
    private ModelState Received(int round, ModelState global)
    {
        if (transfer == TransferDtype.Float32) return global;
        if (received?.Round != round)
        {
            received?.Weights.Dispose();
            received = (round, global.Select(t => transfer.RoundTrip(t)));
        }
        return received.Value.Weights;
    }

    /// <summary>The update as the server receives it: rounded, with the bytes it took on the wire.</summary>
    private ClientUpdate Sent(ClientUpdate update)
    {
        if (transfer == TransferDtype.Float32) return update;
        using (update)
        {
            long bytes = 0;
            var deltas = update.Deltas.ToDictionary(d => d.Key, d =>
            {
                using var onWire = transfer.ToWire(d.Value);
                bytes += onWire.numel() * onWire.ElementSize;
                return TransferRounding.FromWire(onWire);
            });
            return new ClientUpdate(update.ClientId, update.SampleCount, update.TrainedGroups, deltas, update.TrainLoss, update.TrainingFlops, bytes);
        }
    }

    /// <summary>Frees the rounded copy of the global weights.</summary>
    public void Dispose() => received?.Weights.Dispose();
}
