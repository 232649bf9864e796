using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Reporting;
using FedLayers.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

public class ServerTests
{
    /// <summary>Passes everything to <paramref name="inner"/>: the test channels below override what they change.</summary>
    private abstract class DelegatingChannel(IClientChannel inner) : IClientChannel
    {
        protected IClientChannel Inner { get; } = inner;
        public virtual IReadOnlyList<ClientDescriptor> Clients => Inner.Clients;
        public virtual IReadOnlySet<int> Available => Inner.Available;
        public Task WaitForClientsAsync(int count, CancellationToken cancellation) => Inner.WaitForClientsAsync(count, cancellation);
        public virtual Task WaitForClientAsync(int clientId, CancellationToken cancellation) => Inner.WaitForClientAsync(clientId, cancellation);
        public long? SentBytes => Inner.SentBytes;
        public virtual Task<LayerProbe> ProbeAsync(ProbeRequest request, CancellationToken cancellation) => Inner.ProbeAsync(request, cancellation);
        public virtual Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation) => Inner.FitAsync(request, cancellation);
    }

    /// <summary>Counts what the server asks of its clients.</summary>
    private sealed class CountingChannel(IClientChannel inner) : DelegatingChannel(inner)
    {
        public List<(int Round, int Client)> Probes { get; } = [];
        public List<FitRequest> Fits { get; } = [];

        public override Task<LayerProbe> ProbeAsync(ProbeRequest request, CancellationToken cancellation)
        {
            Probes.Add((request.Round, request.ClientId));
            return Inner.ProbeAsync(request, cancellation);
        }

        public override Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation)
        {
            Fits.Add(request);
            return Inner.FitAsync(request, cancellation);
        }
    }

    private sealed class RecordingSink : IRoundSink
    {
        public List<RoundRecord> Records { get; } = [];
        public void OnRound(RoundRecord record) => Records.Add(record);
    }

    /// <summary>Fails or stalls chosen clients: a fit listed in <paramref name="fails"/> (by its 1-based call number
    /// and client) throws, a client in <paramref name="stalls"/> never answers until the deadline cancels it, and one in
    /// <paramref name="absent"/> never connects (it is not available, and waiting for it lasts until the deadline).</summary>
    private sealed class FaultyChannel(IClientChannel inner, Func<int, int, bool> fails, IReadOnlySet<int> stalls, IReadOnlySet<int>? absent = null)
        : DelegatingChannel(inner)
    {
        private int calls;
        public override IReadOnlySet<int> Available => Inner.Available.Where(id => absent?.Contains(id) != true).ToHashSet();

        public override Task WaitForClientAsync(int clientId, CancellationToken cancellation) =>
            absent?.Contains(clientId) == true ? Task.Delay(Timeout.Infinite, cancellation) : Inner.WaitForClientAsync(clientId, cancellation);

        public override async Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation)
        {
            if (fails(++calls, request.ClientId)) throw new ClientFailedException(request.ClientId, "sent a layer it was not assigned");
            if (stalls.Contains(request.ClientId)) await Task.Delay(Timeout.Infinite, cancellation);
            return await Inner.FitAsync(request, cancellation);
        }
    }

    private sealed class FailedAttemptsSink : IRoundSink
    {
        public List<(int Round, int Attempt, string Reason)> Attempts { get; } = [];
        public void OnRound(RoundRecord record) { }
        public void OnRoundFailed(int round, int attempt, string reason, IReadOnlyList<ClientFailure> failures) => Attempts.Add((round, attempt, reason));
    }

    private static (CountingChannel Channel, RecordingSink Sink) Run(ILayerSelector selector, int rounds, int selectEvery, bool diagnostics = false,
        Func<IClientChannel, IClientChannel>? wrap = null, Func<ServerOptions, ServerOptions>? adjust = null, IRoundSink? extraSink = null)
    {
        using var data = TinyData.Images(120);
        torch.manual_seed(1);
        using var model = new SmallCnn(data.NumClasses);
        using var global = ModelState.Capture(model);
        var shards = Enumerable.Range(0, 6).Select(c => Enumerable.Range(0, 120).Where(i => i % 6 == c).ToArray()).ToList();
        var training = new LocalTrainingOptions(1, 2, 0.05, 8);
        IClientChannel inProcess = new InProcessClientChannel(data, shards, new ClientTrainer(model, CPU), new GradientProber(model, CPU), training, 3);
        var channel = new CountingChannel(wrap?.Invoke(inProcess) ?? inProcess);
        var sink = new RecordingSink();
        var budgets = new double[] { 1, 2, 3, 1, 2, 3 };
        var server = new Server(model.Groups, global, channel, selector, budgets, Enumerable.Repeat(1.0, 6).ToList(),
            new Evaluator(model, data, CPU), (adjust ?? (o => o))(new ServerOptions(rounds, 3, selectEvery, 2, 3, diagnostics)),
            extraSink is null ? [sink] : [sink, extraSink]);
        server.RunAsync().GetAwaiter().GetResult();
        return (channel, sink);
    }

    [Fact]
    public void EvalEveryEvaluatesEveryNthAndTheLastRoundAndChangesNoNumber()
    {
        var (_, every) = Run(new TopSelector(), 5, 1);
        var (_, sparse) = Run(new TopSelector(), 5, 1, adjust: o => o with { EvalEvery = 2 });

        Assert.Equal([0, 2, 4, 5], sparse.Records.Where(r => r.Evaluated).Select(r => r.Round));
        Assert.All(sparse.Records.Where(r => !r.Evaluated), r => Assert.Null(r.TestLoss));
        // the evaluated rounds are bitwise those of a run that evaluates every round (the evaluator's cache spans skipped rounds),
        // and training never depends on an evaluation
        foreach (var r in sparse.Records.Where(r => r.Evaluated))
            Assert.Equal((every.Records[r.Round].TestAccuracy, every.Records[r.Round].TestLoss), (r.TestAccuracy, r.TestLoss));
        Assert.Equal(every.Records.Select(r => r.TrainLoss), sparse.Records.Select(r => r.TrainLoss));
        var summary = RunSummary.From("top", sparse.Records);
        Assert.Equal((every.Records[5].TestAccuracy, every.Records[5].TestLoss), (summary.FinalAccuracy, summary.FinalLoss));
        Assert.Throws<ArgumentException>(() => new ServerOptions(5, 3, 1, 2, 3) { EvalEvery = 0 });
    }

    /// <summary>Releases <paramref name="gate"/> when the first fit of <paramref name="releasingRound"/> is asked for, and arms the
    /// evaluation's gate (<paramref name="arm"/>) at the first fit of the round before it.</summary>
    private sealed class GatingChannel(IClientChannel inner, int releasingRound, Action arm, ManualResetEventSlim gate) : DelegatingChannel(inner)
    {
        public override Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation)
        {
            if (request.Round == releasingRound - 1) arm();
            if (request.Round == releasingRound) gate.Set();
            return Inner.FitAsync(request, cancellation);
        }
    }

    /// <summary>A run whose evaluator has a module of its own, as a deployment's server has. With <paramref name="overlap"/>, round 1's
    /// evaluation is held until round 2's clients have been asked to train (at most 20 s): it can only finish in time if it runs
    /// while round 2 does. Returns the records, the rounds the checkpoints were written at with a digest of the weights they saw, and
    /// whether the held evaluation was released by round 2 in time.</summary>
    private static (List<RoundRecord> Records, List<(int Round, string Weights)> Checkpoints, bool ReleasedInTime) RunWithOwnEvaluatorModule(
        bool overlap, Func<IClientChannel, IClientChannel>? wrap = null)
    {
        using var data = TinyData.Images(60, size: 8);
        torch.manual_seed(1);
        using var model = new LinearChainModel(64, 3, data.NumClasses);
        using var evaluated = new LinearChainModel(64, 3, data.NumClasses);
        using var global = ModelState.Capture(model);
        using var gate = new ManualResetEventSlim();
        bool armed = false, releasedInTime = true;
        if (overlap)
            evaluated.BeforeRun = _ =>
            {
                if (Volatile.Read(ref armed) && !gate.Wait(TimeSpan.FromSeconds(20))) releasedInTime = false;
            };
        var shards = Enumerable.Range(0, 6).Select(c => Enumerable.Range(0, 60).Where(i => i % 6 == c).ToArray()).ToList();
        IClientChannel inProcess = new InProcessClientChannel(data, shards, new ClientTrainer(model, CPU), new GradientProber(model, CPU),
            new LocalTrainingOptions(1, 2, 0.05, 8), 3);
        var channel = new GatingChannel(wrap?.Invoke(inProcess) ?? inProcess, 2, () => Volatile.Write(ref armed, true), gate);
        var sink = new RecordingSink();
        var checkpoints = new List<(int, string)>();
        var server = new Server(model.Groups, global, channel, new TopSelector(), [1, 2, 3, 1, 2, 3], Enumerable.Repeat(1.0, 3).ToList(),
            new Evaluator(evaluated, data, CPU), new ServerOptions(3, 3, 1, 1, 3) { OverlapEvaluation = overlap }, [sink], null,
            progress => checkpoints.Add((progress.Round,
                Convert.ToHexString([.. new GroupDigests(global, model.Groups).Below(model.Groups.Count).SelectMany(d => d)]))));
        try
        {
            server.RunAsync().GetAwaiter().GetResult();
        }
        catch (RoundFailedException) when (wrap is not null)
        {
        }
        return (sink.Records, checkpoints, releasedInTime);
    }

    [Fact]
    public void AnOverlappedEvaluationRunsWhileTheNextRoundTrainsAndChangesNoNumberAndNoOrder()
    {
        var sequential = RunWithOwnEvaluatorModule(overlap: false);
        var overlapped = RunWithOwnEvaluatorModule(overlap: true);

        Assert.True(overlapped.ReleasedInTime);
        Assert.Equal([0, 1, 2, 3], overlapped.Records.Select(r => r.Round));
        Assert.All(overlapped.Records, r => Assert.True(r.Evaluated));
        Assert.Equal(sequential.Records.Select(r => (r.TestAccuracy, r.TestLoss, r.TrainLoss)),
            overlapped.Records.Select(r => (r.TestAccuracy, r.TestLoss, r.TrainLoss)));
        // every checkpoint saw its own round's weights, not the next round's
        Assert.Equal(sequential.Checkpoints, overlapped.Checkpoints);
        Assert.Equal([0, 1, 2, 3], overlapped.Checkpoints.Select(c => c.Round));
    }

    [Fact]
    public void WhenTheRoundAfterAnOverlappedEvaluationFailsTheEvaluatedRoundStillReachesTheSinksAndTheCheckpoint()
    {
        var (records, checkpoints, _) = RunWithOwnEvaluatorModule(overlap: true,
            wrap: inner => new FaultyChannel(inner, (call, _) => call > 3, new HashSet<int>()));

        Assert.Equal([0, 1], records.Select(r => r.Round));
        Assert.True(records[1].Evaluated);
        Assert.Equal([0, 1], checkpoints.Select(c => c.Round));
    }

    [Fact]
    public void TheUnbiasedEstimatorWithOneProbeBatchIsRefusedBeforeAnyRound()
    {
        var refused = Assert.Throws<ArgumentException>(() =>
            Run(new TopSelector(), 1, 1, diagnostics: true, adjust: o => o with { ProbeBatches = 1, ProbeEstimator = ProbeEstimator.Unbiased }));
        Assert.Equal("options", refused.ParamName);
        Assert.Contains("at least 2 probe batches, got 1", refused.Message);
    }

    [Fact]
    public void StrategiesWithoutAProbeNeverAskForOne()
    {
        var (channel, sink) = Run(new TopSelector(), 2, 1);
        Assert.Empty(channel.Probes);
        Assert.Equal(6, channel.Fits.Count);
        Assert.Equal([0, 1, 2], sink.Records.Select(r => r.Round));
    }

    [Fact]
    public void ProbingStrategiesProbeEverySampledClientOnSelectionRoundsOnly()
    {
        var (channel, sink) = Run(new RgnSelector(), 4, 2);
        Assert.Equal([1, 1, 1, 3, 3, 3], channel.Probes.Select(p => p.Round));
        Assert.Equal([true, false, true, false], sink.Records.Skip(1).Select(r => r.Reselected));
        foreach (var round in new[] { 1, 3 })
            Assert.Equal(channel.Fits.Where(f => f.Round == round).Select(f => f.ClientId), channel.Probes.Where(p => p.Round == round).Select(p => p.Client));
    }

    [Fact]
    public void DiagnosticsProbeEveryRoundWithoutChangingTraining()
    {
        var (plainChannel, plain) = Run(new TopSelector(), 3, 1);
        var (channel, diagnosed) = Run(new TopSelector(), 3, 1, diagnostics: true);
        Assert.Empty(plainChannel.Probes);
        Assert.Equal(9, channel.Probes.Count);
        Assert.Equal(plain.Records.Select(r => r.TestAccuracy), diagnosed.Records.Select(r => r.TestAccuracy));
        Assert.Equal(plain.Records.Select(r => r.TestLoss), diagnosed.Records.Select(r => r.TestLoss));
        Assert.All(plain.Records.Skip(1), r => Assert.Null(r.Terms!.UnselectedGradientShare));
        Assert.All(diagnosed.Records.Skip(1), r => Assert.InRange(r.Terms!.UnselectedGradientShare!.Value, 0, 1));
        // budgets 1..3 over the top layers: the masks overlap but differ, so the disagreement is positive and below its maximum
        Assert.All(diagnosed.Records.Skip(1), r => Assert.InRange(r.Terms!.Disagreement, 1e-9, 1));
    }

    [Fact]
    public void ProbingStrategiesGetTheGradientShareFromTheirOwnProbe()
    {
        var (channel, sink) = Run(new RgnSelector(), 2, 2);
        Assert.Equal(3, channel.Probes.Count);
        Assert.NotNull(sink.Records[1].Terms!.UnselectedGradientShare);
        Assert.Null(sink.Records[2].Terms!.UnselectedGradientShare); // a reuse round without --diagnostics takes no probe
    }

    /// <summary>A channel whose clients declare their own sample counts, as a deployment's do when they join.</summary>
    private sealed class DeclaringChannel(IClientChannel inner, Func<int, int> declared) : DelegatingChannel(inner)
    {
        public override IReadOnlyList<ClientDescriptor> Clients => [.. Inner.Clients.Select(c => c with { SampleCount = declared(c.Id) })];
    }

    /// <summary>Top's masks, remembering every context it was asked with.</summary>
    private sealed class RecordingSelector : ILayerSelector
    {
        public List<SelectionContext> Contexts { get; } = [];
        public string Name => "recording";
        public bool NeedsProbe => false;

        public IReadOnlyList<bool[]> Select(SelectionContext context)
        {
            Contexts.Add(context);
            return new TopSelector().Select(context);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheSelectionSeesTheSampledClientsSampleCountsAsTheChannelKnowsThem(bool declared)
    {
        var selector = new RecordingSelector();
        Run(selector, 1, 1, wrap: declared ? inner => new DeclaringChannel(inner, id => 100 + id) : null);
        var context = Assert.Single(selector.Contexts);
        // in process a client's count is its shard's size (120 samples over 6 clients); a deployed client's is what it declared
        Assert.Equal(context.ClientIds.Select(id => declared ? 100 + id : 20), context.SampleCounts);
    }

    [Fact]
    public void EveryClientGetsTheCommonGroupsAndAtMostItsBudget()
    {
        var (channel, sink) = Run(new BottomSelector(), 3, 1);
        var budgets = new double[] { 1, 2, 3, 1, 2, 3 };
        foreach (var fit in channel.Fits)
        {
            Assert.Contains("head", fit.TrainedGroups);
            Assert.DoesNotContain("stem", fit.TrainedGroups);
            Assert.Equal(budgets[fit.ClientId], fit.TrainedGroups.Count(g => g.StartsWith("blocks.")));
        }
        Assert.All(sink.Records.Skip(1), r => Assert.Equal(r.Clients.Sum(c => c.UploadBytes), r.UploadBytes));
    }

    [Fact]
    public void AFailedClientIsLeftOutAndTheRoundCompletesWithTheOthers()
    {
        var (channel, sink) = Run(new TopSelector(), 2, 1, wrap: inner => new FaultyChannel(inner, (call, _) => call == 2, new HashSet<int>()),
            adjust: o => o with { MinClients = 2 });
        var first = sink.Records[1];
        var failed = Assert.Single(first.Failures!);
        Assert.Equal(channel.Fits[1].ClientId, failed.ClientId);
        Assert.Contains("not assigned", failed.Reason);
        Assert.Equal(2, first.Clients.Count);
        Assert.DoesNotContain(first.Clients, c => c.ClientId == failed.ClientId);
        Assert.Null(sink.Records[2].Failures);
    }

    /// <summary>Turns the first update asked for into NaN after it trained, as a diverged or lying client would send it.</summary>
    private sealed class PoisoningChannel(IClientChannel inner) : DelegatingChannel(inner)
    {
        private int poisoned = -1;
        public int Poisoned => poisoned;

        public override async Task<ClientUpdate> FitAsync(FitRequest request, CancellationToken cancellation)
        {
            var update = await Inner.FitAsync(request, cancellation);
            if (Interlocked.CompareExchange(ref poisoned, request.ClientId, -1) == -1)
                update.Deltas.Values.First(d => d.is_floating_point()).fill_(double.NaN);
            return update;
        }
    }

    [Fact]
    public void AClientWhoseUpdateIsNotFiniteFailsTheRoundAsInADeployment()
    {
        PoisoningChannel? poisoning = null;
        var (_, sink) = Run(new TopSelector(), 2, 1, wrap: inner => poisoning = new PoisoningChannel(inner), adjust: o => o with { MinClients = 1 });
        var first = sink.Records[1];
        var failed = Assert.Single(first.Failures!);
        Assert.Equal(poisoning!.Poisoned, failed.ClientId);
        Assert.Equal(2, first.Clients.Count);
        Assert.StartsWith("sent values that are not finite in tensor '", failed.Reason);
        Assert.True(double.IsFinite(first.TestLoss!.Value), "the NaN update reached the global weights");
    }

    [Fact]
    public void ARoundWithTooFewSuccessesIsRetriedWithANewSample()
    {
        var attempts = new FailedAttemptsSink();
        var (channel, sink) = Run(new TopSelector(), 1, 1, wrap: inner => new FaultyChannel(inner, (call, _) => call <= 2, new HashSet<int>()),
            adjust: o => o with { MinClients = 2 }, extraSink: attempts);
        Assert.Equal((1, 1), (attempts.Attempts.Single().Round, attempts.Attempts.Single().Attempt));
        Assert.Contains("fewer than the 2 a round needs", attempts.Attempts.Single().Reason);
        Assert.Equal(6, channel.Fits.Count); // three asked in the failed attempt, three in the retry
        Assert.NotEqual(channel.Fits.Take(3).Select(f => f.ClientId), channel.Fits.Skip(3).Select(f => f.ClientId));
        Assert.Equal(3, sink.Records[1].Clients.Count);
    }

    [Fact]
    public void ARoundThatKeepsFailingStopsTheRunAfterItsAttempts()
    {
        var error = Assert.Throws<RoundFailedException>(() => Run(new TopSelector(), 2, 1,
            wrap: inner => new FaultyChannel(inner, (_, _) => true, new HashSet<int>()), adjust: o => o with { RoundAttempts = 3 }));
        Assert.Contains("round 1 failed 3 times", error.Message);
    }

    [Fact]
    public void AClientThatMissesTheRoundTimeoutIsLeftOut()
    {
        var sampledInRoundOne = new ClientSampler(3, 6, 3).Sample(1);
        var slow = sampledInRoundOne[0];
        var (_, sink) = Run(new TopSelector(), 1, 1, wrap: inner => new FaultyChannel(inner, (_, _) => false, new HashSet<int> { slow }),
            adjust: o => o with { MinClients = 2, RoundTimeout = TimeSpan.FromSeconds(2) });
        var failure = Assert.Single(sink.Records[1].Failures!);
        Assert.Equal(slow, failure.ClientId);
        Assert.Contains("round timeout", failure.Reason);
        Assert.Equal(2, sink.Records[1].Clients.Count);
    }

    [Fact]
    public void UnderPrivacyASampledClientThatNeverConnectsFailsAtTheRoundTimeoutAndTheRoundCompletesWithTheOthers()
    {
        var sampledInRoundOne = new ClientSampler(3, 6, 3, poisson: true).Sample(1);
        Assert.True(sampledInRoundOne.Count >= 2, $"round 1 samples {sampledInRoundOne.Count} clients; the test needs one absent and others");
        var absent = sampledInRoundOne[0];
        var (channel, sink) = Run(new TopSelector(), 1, 1, wrap: inner => new FaultyChannel(inner, (_, _) => false, new HashSet<int>(), new HashSet<int> { absent }),
            adjust: o => o with { RoundTimeout = TimeSpan.FromSeconds(2), Privacy = new PrivacyAccounting(0.5, 1, 1e-3, null) });
        // drawn over all clients, connected or not, as in a simulation; the absent one is waited for, then left out
        var failure = Assert.Single(sink.Records[1].Failures!);
        Assert.Equal(absent, failure.ClientId);
        Assert.Equal("sampled but not connected within the round timeout (2 s)", failure.Reason);
        Assert.Equal(sampledInRoundOne.Skip(1), sink.Records[1].Clients.Select(c => c.ClientId));
        Assert.DoesNotContain(channel.Fits, f => f.ClientId == absent);
    }
}
