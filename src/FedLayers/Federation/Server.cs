using System.Diagnostics;
using FedLayers.Models;
using FedLayers.Reporting;
using FedLayers.Selection;

namespace FedLayers.Federation;

/// <summary>
/// The round loop of PAPER.md, "One round t": sample clients, select layers, let each client
/// train its layers, aggregate layer by layer, evaluate. Round 0 evaluates the starting weights.
/// Clients that fail or miss the round's deadline are left out; a round with fewer than
/// <see cref="ServerOptions.MinClients"/> successes is retried with a new sample. After every
/// completed round <c>onCheckpoint</c> receives the progress, and a server built from a saved
/// progress continues exactly where it stood.
/// </summary>
public sealed class Server
{
    private readonly IReadOnlyList<LayerGroup> groups;
    private readonly ModelState global;
    private readonly IClientChannel channel;
    private readonly ILayerSelector selector;
    private readonly IReadOnlyList<double> clientBudgets;
    private readonly IReadOnlyList<double> layerCosts;
    private readonly Evaluator evaluator;
    private readonly ServerOptions options;
    private readonly IReadOnlyList<IRoundSink> sinks;
    private readonly Action<ServerProgress>? onCheckpoint;
    private readonly ClientSampler sampler;
    private readonly Dictionary<int, bool[]> previousMasks;
    private IReadOnlyList<bool[]> lastSelection;
    private readonly List<RoundRecord> records;
    // the previous round's evaluation and publication while this round runs (ServerOptions.OverlapEvaluation): awaited before this
    // round tells a sink anything or changes the global weights, so that sinks and checkpoints see the sequential order
    private Task previousRound = Task.CompletedTask;

    /// <summary>A server over <paramref name="global"/>; it disposes none of its arguments.</summary>
    /// <param name="groups">the model's layer groups, input to output.</param>
    /// <param name="global">the global weights, changed in place by every round.</param>
    /// <param name="channel">how the clients are reached; its clients are ids 0..N-1.</param>
    /// <param name="selector">the strategy that chooses each sampled client's layers.</param>
    /// <param name="clientBudgets">each client's budget, by client id, in the unit of <paramref name="layerCosts"/>.</param>
    /// <param name="layerCosts">the cost of each selectable group, input to output (<see cref="LayerCosts.Of"/>).</param>
    /// <param name="evaluator">evaluates the global weights after every round.</param>
    /// <param name="options">rounds, clients per round, seed and the round loop's other settings.</param>
    /// <param name="sinks">receive every round's record, failed attempts and the summary, in order.</param>
    /// <param name="resumeFrom">the progress of a checkpoint whose weights <paramref name="global"/> holds; null for a new run.</param>
    /// <param name="onCheckpoint">called after every completed round (round 0 included) with <see cref="Progress"/>, e.g. to write a <see cref="RunCheckpoint"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="options"/> asks for the unbiased estimator with fewer than 2 probe batches,
    /// which have no spread to subtract.</exception>
    public Server(IReadOnlyList<LayerGroup> groups, ModelState global, IClientChannel channel, ILayerSelector selector,
        IReadOnlyList<double> clientBudgets, IReadOnlyList<double> layerCosts, Evaluator evaluator, ServerOptions options,
        IReadOnlyList<IRoundSink> sinks, ServerProgress? resumeFrom = null, Action<ServerProgress>? onCheckpoint = null)
    {
        if (options.ProbeEstimator == ProbeEstimator.Unbiased && options.ProbeBatches < 2)
            throw new ArgumentException($"the unbiased probe estimator needs at least 2 probe batches, got {options.ProbeBatches}", nameof(options));
        (this.groups, this.global, this.channel, this.selector) = (groups, global, channel, selector);
        (this.clientBudgets, this.layerCosts, this.evaluator, this.options, this.sinks) = (clientBudgets, layerCosts, evaluator, options, sinks);
        this.onCheckpoint = onCheckpoint;
        sampler = new ClientSampler(options.Seed, channel.Clients.Count, options.ClientsPerRound, poisson: SamplesAllClients);
        previousMasks = resumeFrom?.PreviousMasks.ToDictionary(p => p.Key, p => p.Value) ?? [];
        lastSelection = resumeFrom?.LastSelection ?? [];
        records = [.. resumeFrom?.Records ?? []];
    }

    /// <summary>Under privacy every attempt draws over all N clients, connected or not (Poisson sampling, as the accountant assumes).</summary>
    private bool SamplesAllClients => options.Privacy is not null;

    /// <summary>A snapshot of where the round loop stands: the last completed round, the masks and the records so far.</summary>
    public ServerProgress Progress => new(records.Count - 1, new Dictionary<int, bool[]>(previousMasks), lastSelection, [.. records]);

    /// <summary>
    /// Evaluates the starting weights (unless resumed) and runs the remaining rounds up to
    /// <see cref="ServerOptions.Rounds"/>, then tells the sinks the summary.
    /// </summary>
    /// <exception cref="RoundFailedException">a round had too few successful clients in all of its <see cref="ServerOptions.RoundAttempts"/> attempts.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled.</exception>
    public async Task<RunSummary> RunAsync(CancellationToken cancellation = default)
    {
        if (records.Count == 0)
        {
            var clock = Stopwatch.StartNew();
            var (accuracy, loss) = evaluator.Evaluate(global);
            Complete(new RoundRecord(0, accuracy, loss, null, clock.Elapsed.TotalSeconds, 0, [], false));
        }
        try
        {
            for (int round = records.Count; round <= options.Rounds; round++)
            {
                if (options.Privacy is { EpsilonBudget: { } budget } privacy && EpsilonWith(privacy, Selects(round) && selector.NeedsProbe) > budget)
                {
                    await previousRound;
                    foreach (var sink in sinks)
                        sink.OnStoppedEarly(round, $"round {round} would take epsilon above the budget of {budget} (delta {privacy.Delta})");
                    break;
                }
                var (record, evaluates) = await AttemptRoundAsync(round, cancellation);
                if (options.Privacy is { } spent) record = record with { Epsilon = EpsilonWith(spent, record.Reselected && selector.NeedsProbe) };
                if (evaluates && options.OverlapEvaluation && round < options.Rounds)
                {
                    records.Add(record); // the accountant of the next round reads it now; sinks and checkpoint when it is evaluated
                    previousRound = PublishWhenEvaluatedAsync(record);
                }
                else
                    Complete(evaluates ? Evaluated(record) : record);
            }
            await previousRound;
        }
        catch
        {
            // a completed round's record still reaches the sinks and the checkpoint when the next round fails or is cancelled
            await previousRound.ContinueWith(_ => { }, TaskScheduler.Default);
            throw;
        }
        var summary = RunSummary.From(selector.Name, records);
        foreach (var sink in sinks) sink.OnCompleted(summary);
        return summary;
    }

    /// <summary>The epsilon spent by the completed rounds and one more, which releases a probe or not: every round's release is
    /// known from its record, so a resumed run continues the accountant exactly.</summary>
    private double EpsilonWith(PrivacyAccounting privacy, params bool[] nextProbed) =>
        privacy.EpsilonAfter([.. records.Skip(1).Select(r => r.Reselected && selector.NeedsProbe), .. nextProbed]);

    /// <summary>Whether the global model is evaluated after <paramref name="round"/>: every <see cref="ServerOptions.EvalEvery"/>
    /// rounds and after the run's last round, including the last one an epsilon budget lets run (the check
    /// <see cref="RunAsync"/> makes before the next round, made here with this round's release).</summary>
    private bool Evaluates(int round, bool reselected)
    {
        if (round % options.EvalEvery == 0 || round >= options.Rounds) return true;
        if (options.Privacy is not { EpsilonBudget: { } budget } privacy) return false;
        bool nextSelects = round % options.SelectEvery == 0 || (lastSelection.Count == 0 && !reselected);
        return EpsilonWith(privacy, reselected && selector.NeedsProbe, nextSelects && selector.NeedsProbe) > budget;
    }

    /// <summary>Whether <paramref name="round"/> asks the strategy for new masks rather than reusing the last selection.</summary>
    private bool Selects(int round) => (round - 1) % options.SelectEvery == 0 || lastSelection.Count == 0;

    /// <summary>Runs one round, retrying it with a new sample of clients while too few succeed, and evaluates the new weights
    /// when the round is one that <see cref="ServerOptions.EvalEvery"/> evaluates.</summary>
    public async Task<RoundRecord> RunRoundAsync(int round, CancellationToken cancellation)
    {
        var (record, evaluates) = await AttemptRoundAsync(round, cancellation);
        return evaluates ? Evaluated(record) : record;
    }

    /// <summary><paramref name="record"/> with the evaluation of the global weights, its time counted in the round's.</summary>
    private RoundRecord Evaluated(RoundRecord record)
    {
        var clock = Stopwatch.StartNew();
        var (accuracy, loss) = evaluator.Evaluate(global);
        return record with { TestAccuracy = accuracy, TestLoss = loss, Seconds = record.Seconds + clock.Elapsed.TotalSeconds };
    }

    /// <summary>Evaluates the global weights of <paramref name="record"/>'s round in the background while the next round starts,
    /// then tells the sinks and the checkpoint; the round's seconds end where the next round began.</summary>
    private async Task PublishWhenEvaluatedAsync(RoundRecord record)
    {
        var (accuracy, loss) = await evaluator.EvaluateInBackground(global);
        Publish(record with { TestAccuracy = accuracy, TestLoss = loss });
    }

    /// <summary>One round without its evaluation, retried with a new sample of clients while too few succeed, and whether the
    /// round is one to evaluate.</summary>
    private async Task<(RoundRecord Record, bool Evaluates)> AttemptRoundAsync(int round, CancellationToken cancellation)
    {
        long? sentBefore = channel.SentBytes;
        for (int attempt = 0; ; attempt++)
        {
            var sampled = await SampleAsync(round, attempt, cancellation);
            var (record, evaluates, reason, failures) = await TryRoundAsync(round, sampled, cancellation);
            if (record is not null) return (record with { DownloadBytes = channel.SentBytes - sentBefore }, evaluates);
            await previousRound;
            foreach (var sink in sinks) sink.OnRoundFailed(round, attempt + 1, reason!, failures);
            if (attempt + 1 >= options.RoundAttempts) throw new RoundFailedException(round, attempt + 1, reason!);
            await Task.Delay(options.RetryPause, cancellation);
        }
    }

    /// <summary>
    /// The clients of one attempt at <paramref name="round"/>. Under privacy the Poisson draw is over all N clients, connected or
    /// not, so every client is in it with the accountant's rate and a deployment draws what its simulation draws; <see cref="Ask"/>
    /// waits for the sampled clients that are not connected yet. Retries draw over all clients too: a draw among the connected
    /// ones would, with none connected, come out empty and complete the round with noise alone. Without privacy K are drawn among
    /// the connected clients once <see cref="ServerOptions.MinClients"/> are.
    /// </summary>
    private async Task<IReadOnlyList<int>> SampleAsync(int round, int attempt, CancellationToken cancellation)
    {
        if (SamplesAllClients) return sampler.Sample(round, attempt, available: null);
        await channel.WaitForClientsAsync(options.MinClients, cancellation);
        return sampler.Sample(round, attempt, channel.Available);
    }

    private async Task<(RoundRecord? Record, bool Evaluates, string? Reason, IReadOnlyList<ClientFailure> Failures)> TryRoundAsync(int round,
        IReadOnlyList<int> sampled, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (options.RoundTimeout is { } timeout) deadline.CancelAfter(timeout);
        IReadOnlyList<bool[]> masks = [];
        bool reselected = false;
        SelectionTerms? terms = null;
        // under Poisson sampling a round may have no client: the release is then the noise alone, and still counts
        bool emptyPrivateRound = options.Privacy is not null && sampled.Count == 0;
        try
        {
            IReadOnlyList<LayerProbe>? probes;
            if (!emptyPrivateRound)
            {
                (masks, reselected, probes) = Select(round, sampled, deadline.Token, cancellation);
                terms = Terms(round, sampled, masks, probes, deadline.Token, cancellation);
            }
        }
        catch (ProbesFailedException e)
        {
            return (null, false, $"{e.Failures.Count} of {sampled.Count} clients failed their gradient probe", e.Failures);
        }

        var fits = sampled.Select((id, i) => (Id: id, Mask: masks[i], Groups: TrainableGroups.ForMask(groups, masks[i]),
            Cost: BudgetFill.Cost(masks[i], layerCosts))).ToList();
        int finished = 0;
        var outcomes = await Task.WhenAll(fits.Select(async fit =>
        {
            var outcome = await Ask(fit.Id, async () => Finite(await channel.FitAsync(new FitRequest(round, fit.Id, global, fit.Groups), deadline.Token)),
                deadline.Token, cancellation);
            if (outcome.Result is null) return outcome;
            await previousRound;
            foreach (var sink in sinks) sink.OnClientFinished(round, Interlocked.Increment(ref finished), fits.Count);
            return outcome;
        }));
        var updates = outcomes.Select(o => o.Result).OfType<ClientUpdate>().ToList();
        var failures = outcomes.Select(o => o.Failure).OfType<ClientFailure>().ToList();
        try
        {
            if (!emptyPrivateRound && updates.Count < options.MinClients)
                return (null, false, $"{updates.Count} of {sampled.Count} clients succeeded, fewer than the {options.MinClients} a round needs", failures);
            await previousRound; // its evaluation and checkpoint read the weights this aggregation changes
            var aggregation = options.Aggregation.Apply(global, groups, updates, round);
            bool evaluates = Evaluates(round, reselected); // before this round's selection becomes the last one
            var fitOf = fits.ToDictionary(f => f.Id);
            var clients = updates.Select((u, i) => new ClientSelection(u.ClientId, clientBudgets[u.ClientId], fitOf[u.ClientId].Cost,
                u.TrainedGroups, u.SampleCount, u.UploadBytes, u.TrainLoss, u.TrainingFlops)
            {
                Weight = aggregation.LargestShares[i],
                ClipScale = aggregation.ClipScales[i],
            }).ToList();
            double totalSamples = updates.Sum(u => (double)u.SampleCount);
            double? trainLoss = updates.Count == 0 ? null : updates.Sum(u => u.TrainLoss * u.SampleCount) / totalSamples;
            if (reselected) lastSelection = masks;
            foreach (var fit in fits) previousMasks[fit.Id] = fit.Mask;
            return (new RoundRecord(round, null, null, trainLoss, clock.Elapsed.TotalSeconds, updates.Sum(u => u.UploadBytes),
                clients, reselected, terms, failures.Count > 0 ? failures : null)
            {
                FewestLayerClients = aggregation.FewestLayerClients,
                ToleratedBadClients = aggregation.ToleratedBadClients,
            }, evaluates, null, failures);
        }
        finally
        {
            foreach (var update in updates) update.Dispose();
        }
    }

    /// <summary><paramref name="update"/> when every value in it is finite; else it is disposed and its client fails the round, in a
    /// simulation as in a deployment (whose server refuses such an update on arrival).</summary>
    private static ClientUpdate Finite(ClientUpdate update)
    {
        if (update.NotFinite() is not { } what) return update;
        update.Dispose();
        throw new ClientFailedException(update.ClientId, $"sent values that are not finite in {what}");
    }

    /// <summary>Asks one client, first waiting until <paramref name="deadline"/> for it to connect when it was drawn among all clients;
    /// a failure or a missed deadline becomes that client's <see cref="ClientFailure"/>. Only the run's own cancellation propagates.</summary>
    private async Task<(T? Result, ClientFailure? Failure)> Ask<T>(int clientId, Func<Task<T>> ask, CancellationToken deadline, CancellationToken run)
        where T : class
    {
        try
        {
            if (SamplesAllClients) await WaitForSampledAsync(clientId, deadline, run);
            return (await ask(), null);
        }
        catch (ClientFailedException e)
        {
            return (null, new ClientFailure(clientId, e.Reason));
        }
        catch (OperationCanceledException) when (!run.IsCancellationRequested)
        {
            return (null, new ClientFailure(clientId, $"did not answer {WithinTheRoundTimeout}"));
        }
    }

    /// <summary>Waits for a client drawn among all, connected or not, until <paramref name="deadline"/>.</summary>
    /// <exception cref="ClientFailedException">the client did not connect before <paramref name="deadline"/>.</exception>
    private async Task WaitForSampledAsync(int clientId, CancellationToken deadline, CancellationToken run)
    {
        try
        {
            await channel.WaitForClientAsync(clientId, deadline);
        }
        catch (OperationCanceledException) when (!run.IsCancellationRequested)
        {
            throw new ClientFailedException(clientId, $"sampled but not connected {WithinTheRoundTimeout}");
        }
    }

    private string WithinTheRoundTimeout => $"within the round timeout ({options.RoundTimeout?.TotalSeconds} s)";

    /// <summary>The round's masks. The selection state (previous masks, the masks to reuse) changes only once the round succeeds.</summary>
    private (IReadOnlyList<bool[]> Masks, bool Reselected, IReadOnlyList<LayerProbe>? Probes) Select(int round, IReadOnlyList<int> sampled,
        CancellationToken deadline, CancellationToken run)
    {
        IReadOnlyList<LayerProbe>? probes = null;
        var context = new SelectionContext(round, sampled, sampled.Select(id => clientBudgets[id]).ToList(), layerCosts,
            previousMasks, () => probes ??= ProbeAll(round, sampled, deadline, run))
        {
            SampleCounts = SampleCountsOf(sampled),
        };
        bool reselect = Selects(round);
        var masks = reselect ? selector.Select(context) : MaskReuse.Reuse(context, lastSelection);
        return (masks, reselect, probes);
    }

    /// <summary>The round's selection terms; the gradient share needs a probe, taken here only with diagnostics on
    /// when the strategy took none.</summary>
    private SelectionTerms Terms(int round, IReadOnlyList<int> sampled, IReadOnlyList<bool[]> masks, IReadOnlyList<LayerProbe>? probes,
        CancellationToken deadline, CancellationToken run)
    {
        probes ??= options.Diagnostics ? ProbeAll(round, sampled, deadline, run) : null;
        double? unselected = probes is null ? null : SelectionDiagnostics.UnselectedGradientShare(masks,
            probes.Select(p => (IReadOnlyList<double>)p.GradientMass(options.ProbeEstimator)).ToList(), SampleCountsOf(sampled));
        return new SelectionTerms(unselected, SelectionDiagnostics.NormalizedDisagreement(masks));
    }

    /// <summary>The sampled clients' training-sample counts as the channel knows them: a simulation's shard sizes, a deployment's
    /// declared counts (checked when a client joins; what they may weigh is capped where they are used).</summary>
    private List<int> SampleCountsOf(IReadOnlyList<int> sampled) => sampled.Select(id => channel.Clients[id].SampleCount).ToList();

    /// <summary>Every sampled client's probe, asked of all at once. The strategy needs all of them, so one
    /// failure fails the attempt (<see cref="ProbesFailedException"/>).</summary>
    private IReadOnlyList<LayerProbe> ProbeAll(int round, IReadOnlyList<int> sampled, CancellationToken deadline, CancellationToken run)
    {
        var outcomes = Task.WhenAll(sampled.Select(id =>
            Ask(id, () => channel.ProbeAsync(new ProbeRequest(round, id, global, options.ProbeBatches), deadline), deadline, run))).GetAwaiter().GetResult();
        var failures = outcomes.Select(o => o.Failure).OfType<ClientFailure>().ToList();
        if (failures.Count > 0) throw new ProbesFailedException(failures);
        var probes = outcomes.Select(o => o.Result!).ToList();
        return options.PrivateProbe?.Release(probes, round) ?? probes;
    }

    private sealed class ProbesFailedException(IReadOnlyList<ClientFailure> failures) : Exception("gradient probes failed")
    {
        public IReadOnlyList<ClientFailure> Failures { get; } = failures;
    }

    private void Complete(RoundRecord record)
    {
        records.Add(record);
        Publish(record);
    }

    /// <summary>Tells the sinks <paramref name="record"/>, which takes its round's place among the records, and writes the checkpoint.</summary>
    private void Publish(RoundRecord record)
    {
        records[record.Round] = record;
        foreach (var sink in sinks) sink.OnRound(record);
        onCheckpoint?.Invoke(Progress);
    }
}
