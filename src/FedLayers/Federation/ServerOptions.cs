using FedLayers.Selection;
using FedLayers.Validation;

namespace FedLayers.Federation;

/// <summary>The round loop's settings.</summary>
/// <param name="Rounds">training rounds after round 0 (which only evaluates the starting weights).</param>
/// <param name="ClientsPerRound">clients sampled per round among those available (fewer when fewer are); under <see cref="Privacy"/>
/// the number on average, drawn over all clients.</param>
/// <param name="SelectEvery">masks are chosen by the strategy every this many rounds and reused in between.</param>
/// <param name="ProbeBatches">mini-batches per gradient probe.</param>
/// <param name="Seed">the run's seed; the server draws the sampled clients of each round from it.</param>
/// <param name="Diagnostics">probe every round for the theory's selection terms, also when the
/// strategy does not probe; the probe reads the global weights and changes nothing.</param>
/// <param name="MinClients">a round needs this many clients to succeed (and, without <see cref="Privacy"/>, to be available before it
/// starts); fewer, and it is retried.</param>
/// <param name="RoundTimeout">clients that have not answered by then (or, sampled under <see cref="Privacy"/>, not connected) are left
/// out of the round; null: no deadline.</param>
/// <param name="RoundAttempts">how often one round is tried before the run stops with an error.</param>
/// <param name="RetryPause">the wait before a failed round is tried again, for clients to come back.</param>
public sealed record ServerOptions(int Rounds, int ClientsPerRound, int SelectEvery, int ProbeBatches, int Seed, bool Diagnostics = false,
    int MinClients = 1, TimeSpan? RoundTimeout = null, int RoundAttempts = 5, TimeSpan RetryPause = default)
{
    /// <summary>How the round's updates become the new global weights (default: the paper's sample-weighted mean).</summary>
    public LayerwiseAggregator Aggregation { get; init; } = LayerwiseAggregator.FedAvg;

    /// <summary>Client-level differential privacy's accounting: clients are then sampled by Poisson and every round's epsilon is
    /// recorded; null: no privacy accounting.</summary>
    public PrivacyAccounting? Privacy { get; init; }

    /// <summary>How the selection terms' gradient share makes g from a probe (<see cref="Diagnostics"/> and probing strategies).</summary>
    public ProbeEstimator ProbeEstimator { get; init; } = ProbeEstimator.Mean;

    /// <summary>The global model is evaluated after every this many rounds, and always after round 0 and after the last round
    /// (the last of <see cref="Rounds"/>, or the last before an epsilon budget stops the run); at least 1.</summary>
    public int EvalEvery { get; init => field = FieldCheck.AtLeast(value, 1, nameof(EvalEvery)); } = 1;

    /// <summary>Evaluate round t's weights while round t+1's clients train, for channels whose clients do not run on the
    /// evaluator's module (a deployment's; a simulation's in-process clients share it): the evaluation's results, the records and
    /// the checkpoints are those of the sequential order, and a round's seconds end where the next round began.</summary>
    public bool OverlapEvaluation { get; init; }

    /// <summary>Under privacy, the release a probing strategy's probes go through before it sees them; null: the clients' own probes.</summary>
    public PrivateProbe? PrivateProbe { get; init; }
}
