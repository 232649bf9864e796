using System.Diagnostics;
using FedLayers.Models;
using FedLayers.Reporting;
using FedLayers.Selection;

namespace FedLayers.Federation;

/// <summary>
/// The round loop of PAPER.md, "One round t": sample clients, select layers, let each client
/// train its layers, aggregate layer by layer, evaluate. Round 0 evaluates the starting weights.
/// </summary>
public sealed class Server(
    IReadOnlyList<LayerGroup> groups,
    ModelState global,
    IClientChannel channel,
    ILayerSelector selector,
    IReadOnlyList<double> clientBudgets,
    IReadOnlyList<double> layerCosts,
    Evaluator evaluator,
    ServerOptions options,
    IReadOnlyList<IRoundSink> sinks)
{
    private readonly ClientSampler sampler = new(options.Seed, channel.Clients.Count, options.ClientsPerRound);
    private readonly Dictionary<int, bool[]> previousMasks = [];
    private IReadOnlyList<bool[]> lastSelection = [];
    private readonly List<RoundRecord> records = [];

    public async Task<RunSummary> RunAsync(CancellationToken cancellation = default)
    {
        var start = Stopwatch.StartNew();
        var (accuracy, loss) = evaluator.Evaluate(global);
        Publish(new RoundRecord(0, accuracy, loss, null, start.Elapsed.TotalSeconds, 0, [], false));
        for (int round = 1; round <= options.Rounds; round++)
            Publish(await RunRoundAsync(round, cancellation));
        var summary = RunSummary.From(selector.Name, records);
        foreach (var sink in sinks) sink.OnCompleted(summary);
        return summary;
    }

    public async Task<RoundRecord> RunRoundAsync(int round, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var sampled = sampler.Sample(round);
        var (masks, reselected, probes) = Select(round, sampled, cancellation);
        var terms = Terms(round, sampled, masks, probes, cancellation);
        var fits = sampled.Select((id, i) => (Id: id, Groups: TrainableGroups.ForMask(groups, masks[i]),
            Cost: BudgetFill.Cost(masks[i], layerCosts))).ToList();
        var updates = new List<ClientUpdate>();
        try
        {
            foreach (var (id, trained, _) in fits)
            {
                updates.Add(await channel.FitAsync(new FitRequest(round, id, global, trained), cancellation));
                foreach (var sink in sinks) sink.OnClientFinished(round, updates.Count, fits.Count);
            }
            LayerwiseAggregator.Apply(global, groups, updates);
            var (accuracy, loss) = evaluator.Evaluate(global);
            var clients = updates.Select((u, i) => new ClientSelection(u.ClientId, clientBudgets[u.ClientId], fits[i].Cost,
                u.TrainedGroups, u.SampleCount, u.UploadBytes, u.TrainLoss, u.TrainingFlops)).ToList();
            double totalSamples = updates.Sum(u => (double)u.SampleCount);
            double trainLoss = updates.Sum(u => u.TrainLoss * u.SampleCount) / totalSamples;
            return new RoundRecord(round, accuracy, loss, trainLoss, clock.Elapsed.TotalSeconds,
                updates.Sum(u => u.UploadBytes), clients, reselected, terms);
        }
        finally
        {
            foreach (var update in updates) update.Dispose();
        }
    }

    private (IReadOnlyList<bool[]> Masks, bool Reselected, IReadOnlyList<LayerProbe>? Probes) Select(int round, IReadOnlyList<int> sampled,
        CancellationToken cancellation)
    {
        IReadOnlyList<LayerProbe>? probes = null;
        var context = new SelectionContext(round, sampled, sampled.Select(id => clientBudgets[id]).ToList(), layerCosts,
            previousMasks, () => probes ??= ProbeAll(round, sampled, cancellation));
        bool reselect = (round - 1) % options.SelectEvery == 0 || lastSelection.Count == 0;
        var masks = reselect ? selector.Select(context) : MaskReuse.Reuse(context, lastSelection);
        if (reselect) lastSelection = masks;
        for (int i = 0; i < sampled.Count; i++) previousMasks[sampled[i]] = masks[i];
        return (masks, reselect, probes);
    }

    /// <summary>The round's selection terms; the gradient share needs a probe, taken here only under --diagnostics
    /// when the strategy took none.</summary>
    private SelectionTerms Terms(int round, IReadOnlyList<int> sampled, IReadOnlyList<bool[]> masks, IReadOnlyList<LayerProbe>? probes,
        CancellationToken cancellation)
    {
        probes ??= options.Diagnostics ? ProbeAll(round, sampled, cancellation) : null;
        double? unselected = probes is null ? null : SelectionDiagnostics.UnselectedGradientShare(masks,
            probes.Select(p => (IReadOnlyList<double>)p.SquaredGradNorm).ToList(), sampled.Select(id => channel.Clients[id].SampleCount).ToList());
        return new SelectionTerms(unselected, SelectionDiagnostics.NormalizedDisagreement(masks));
    }

    private IReadOnlyList<LayerProbe> ProbeAll(int round, IReadOnlyList<int> sampled, CancellationToken cancellation) =>
        sampled.Select(id => channel.ProbeAsync(new ProbeRequest(round, id, global, options.ProbeBatches), cancellation)
            .GetAwaiter().GetResult()).ToList();

    private void Publish(RoundRecord record)
    {
        records.Add(record);
        foreach (var sink in sinks) sink.OnRound(record);
    }
}
