using FedLayers.Data;
using FedLayers.Distributed.Protocol;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Selection;
using FedLayers.Setup;
using TorchSharp;

namespace FedLayers.Distributed;

/// <summary>
/// What a joined client computes with: its model (built from the server's configuration), its own
/// training data, and its copy of the global weights, kept between tasks so the server sends only
/// the tensors that changed. Probes and fits use the same seeded streams as a simulated client
/// with the same id, so a deployment with the server's data is its simulation.
/// </summary>
internal sealed class ClientWork : IDisposable
{
    private readonly IDisposable[] owned;
    private readonly LabeledDataset train;
    private readonly int[] shard;
    private readonly ClientTrainer trainer;
    private readonly GradientProber prober;
    private readonly LocalTrainingOptions training;
    private readonly CrossRoundPrefixCache? carryover;
    private readonly int seed;

    private ClientWork(int index, string configJson, LayeredModel model, LabeledDataset train, int[] shard, RunConfig config,
        torch.Device device, string dataSource, IDisposable[] owned)
    {
        (Index, ConfigJson, this.train, this.shard, this.owned, seed, DataSource) = (index, configJson, train, shard, owned, config.Get(RunSettings.Seed), dataSource);
        Global = ModelState.Capture(model);
        trainer = new ClientTrainer(model, device);
        training = FederationSetup.TrainingOptionsOf(config);
        carryover = CrossRoundPrefixCache.WithCapacity(training.PrefixCacheBytes);
        prober = FederationSetup.ProberOf(config, model, device);
        Signature = ModelSignature.Of(Global);
        Transfer = config.Get(RunSettings.TransferDtypeChoice);
        WireSpecs = Global.Names.ToDictionary(name => name, name => TensorWire.Spec(name, Global[name], Transfer));
    }

    public int Index { get; }
    /// <summary>The server configuration this was built from; a reconnect to a server with another one rebuilds.</summary>
    public string ConfigJson { get; }
    public ModelState Global { get; }
    public int SampleCount => shard.Length;
    /// <summary>Where the training data comes from, for the log.</summary>
    public string DataSource { get; }
    /// <summary>The most this machine keeps of frozen-prefix outputs from round to round; 0: none.</summary>
    public long PrefixCacheBytes => carryover?.CapacityBytes ?? 0;
    public IReadOnlyList<TensorSpec> Signature { get; }
    /// <summary>The format weights and updates travel in, from the server's configuration.</summary>
    public TransferDtype Transfer { get; }
    /// <summary>Every tensor as it travels: the global weights the server sends must be exactly these.</summary>
    public IReadOnlyDictionary<string, TensorSpec> WireSpecs { get; }

    /// <summary>The client's model, data and copy of the global weights, from the server's Welcome.</summary>
    /// <param name="welcome">the server's configuration, client count and this client's position.</param>
    /// <param name="dataset">the client's own dataset (all of its training split is its data); null: the server's
    /// dataset and partition, taking the shard at this client's position.</param>
    /// <param name="device">where the client computes: cpu, cuda or cuda:N.</param>
    /// <param name="registries">where the names in the server's configuration are looked up.</param>
    /// <param name="warn">receives warnings from building the set-up.</param>
    /// <param name="prefixCacheMb">MiB for this machine's kept frozen-prefix outputs; null: the server's configuration's.</param>
    public static ClientWork Build(Welcome welcome, string? dataset, string device, Registries registries, Action<string> warn,
        int? prefixCacheMb = null)
    {
        var config = RunConfigJson.Deserialize(welcome.ConfigJson, "the server's configuration", registries)
            .With(RunSettings.Clients, welcome.ClientCount).With(RunSettings.Device, device).With(RunSettings.Out, null);
        // operational: the memory of the machine that keeps them, which changes no result
        if (prefixCacheMb is not null) config = config.With(RunSettings.PrefixCacheMb, prefixCacheMb);
        var torchDevice = DeviceChoice.Parse(device);
        var data = DataLoading.Load(config, dataset);
        try
        {
            if (dataset is null)
            {
                var setup = FederationSetup.Build(config, data, warn);
                return new ClientWork(welcome.ClientIndex, welcome.ConfigJson, setup.Model, setup.Tensors.Train, setup.Shards[welcome.ClientIndex],
                    setup.Config, torchDevice, $"shard {welcome.ClientIndex} of the server's dataset {config.Get(RunSettings.Dataset)}", [setup, data]);
            }
            torch.manual_seed(config.Get(RunSettings.Seed));
            var (model, tensors, ownsTensors) = FederationSetup.ModelAndData(config.With(RunSettings.Dataset, dataset), data);
            model.to(torchDevice);
            var mine = FederationSetup.CapSamples(config, [.. Enumerable.Range(0, tensors.Train.Count)], welcome.ClientIndex);
            return new ClientWork(welcome.ClientIndex, welcome.ConfigJson, model, tensors.Train, mine, config, torchDevice,
                $"its own dataset {dataset}", ownsTensors ? [model, tensors, data] : [model, data]);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    public LayerProbe Probe(int round, int probeBatches) =>
        prober.Probe(Global, train, shard, probeBatches, training.BatchSize, BatchOrder.ProbeStream(seed, round, Index));

    public ClientUpdate Fit(int round, IReadOnlyList<string> groups) =>
        trainer.Train(Index, Global, train, shard, groups, training.ForRound(round), BatchOrder.TrainingStream(seed, round, Index), carryover);

    public void Dispose()
    {
        Global.Dispose();
        prober.Dispose();
        carryover?.Dispose();
        foreach (var o in owned) o.Dispose();
    }
}
