using FedLayers.Data;
using FedLayers.Selection;

namespace FedLayers.Federation;

/// <summary>
/// Simulated clients in this process: each is a list of indices into one shared training set,
/// and all of them train on one shared module, one at a time, so memory does not grow with
/// the number of clients.
/// </summary>
public sealed class InProcessClientChannel : IClientChannel
{
    private readonly LabeledDataset trainSet;
    private readonly IReadOnlyList<int[]> shards;
    private readonly ClientTrainer trainer;
    private readonly GradientProber prober;
    private readonly LocalTrainingOptions training;
    private readonly int seed;
    private readonly CrossRoundPrefixCache? carryover;

    /// <summary>One simulated client per shard.</summary>
    /// <param name="trainSet">the shared training set.</param>
    /// <param name="shards">per client, its sample indices into <paramref name="trainSet"/>; client i has shard i.</param>
    /// <param name="trainer">trains every client on the one shared module.</param>
    /// <param name="prober">probes every client on the one shared module.</param>
    /// <param name="training">the local training options; <see cref="LocalTrainingOptions.ForRound"/> gives each round's.</param>
    /// <param name="seed">the run's seed: each client's batch order is drawn from it, the round and the client id.</param>
    /// <param name="carryover">keeps the clients' frozen-prefix outputs from round to round under one budget; null: each
    /// training keeps its own only.</param>
    public InProcessClientChannel(LabeledDataset trainSet, IReadOnlyList<int[]> shards, ClientTrainer trainer,
        GradientProber prober, LocalTrainingOptions training, int seed, CrossRoundPrefixCache? carryover = null)
    {
        this.carryover = carryover;
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
        return Task.FromResult(prober.Probe(request.Global, trainSet, shards[request.ClientId], request.ProbeBatches, training.BatchSize, random));
    }

    /// <inheritdoc/>
    public Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var random = BatchOrder.TrainingStream(seed, request.Round, request.ClientId);
        return Task.FromResult(trainer.Train(request.ClientId, request.Global, trainSet, shards[request.ClientId],
            request.TrainedGroups, training.ForRound(request.Round), random, carryover));
    }
}
