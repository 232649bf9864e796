namespace FedLayers.Reporting;

/// <summary>One client's part in a round: its budget, the summed cost of the selectable layers it
/// trained (same unit; above the budget only under <c>full</c>), and the groups it trained.</summary>
/// <param name="ClientId">The client's index, 0 .. clients - 1.</param>
/// <param name="Budget">The client's budget in the run's cost unit.</param>
/// <param name="Cost">The summed cost of the layers it trained, in the same unit.</param>
/// <param name="Groups">The names of the layer groups it trained, input side first.</param>
/// <param name="SampleCount">The number of its training samples it declared (its weight under sample weighting).</param>
/// <param name="UploadBytes">The size of its update (the trained groups' weight deltas).</param>
/// <param name="TrainLoss">Its mean training loss over its local training batches (NaN if it saw no sample).</param>
/// <param name="TrainingFlops">the arithmetic of the client's local training (see Federation.TrainingFlops).</param>
public sealed record ClientSelection(int ClientId, double Budget, double Cost, IReadOnlyList<string> Groups, int SampleCount, long UploadBytes, double TrainLoss,
    double TrainingFlops = 0)
{
    /// <summary>Its largest share of any layer it trained in the aggregation, in (0, 1] (after weighting and the cap; under
    /// privacy, the largest factor its change enters a layer's noisy sum with, 1 / the layer's denominator).</summary>
    public double Weight { get; init; } = double.NaN;

    /// <summary>The factor its update was scaled by to meet the clip norm: 1 when it was not clipped.</summary>
    public double ClipScale { get; init; } = 1;
}

/// <summary>
/// The theory's two selection terms for one round (see <see cref="Selection.SelectionDiagnostics"/>):
/// the share of gradient mass left untrained, known only when the round's clients were probed, and
/// the normalised disagreement between the masks.
/// </summary>
/// <param name="UnselectedGradientShare">The share of the sampled clients' gradient mass in layers they did not train, 0..1; null when the round had no probe.</param>
/// <param name="Disagreement">The normalised disagreement between the clients' masks, 0..1 (0: all chose the same layers).</param>
public sealed record SelectionTerms(double? UnselectedGradientShare, double Disagreement);

/// <summary>A client left out of a round: not available, too late, rejected, or failed.</summary>
/// <param name="ClientId">The client's index.</param>
/// <param name="Reason">Why it was left out, as a message.</param>
public sealed record ClientFailure(int ClientId, string Reason);

/// <summary>
/// The outcome of one round. Round 0 is the evaluation of the starting weights, before any
/// training (no clients, no train loss). <see cref="Clients"/> are the clients whose updates were
/// aggregated; <see cref="Failures"/> the sampled ones that were left out. <see cref="DownloadBytes"/>: global
/// weights sent to clients in the round, known only when they travel over a network.
/// </summary>
/// <param name="Round">The round, 1-based; 0 is the evaluation before training.</param>
/// <param name="TestAccuracy">The global model's accuracy on the test set after the round, 0..1; null when the round was not
/// evaluated (<see cref="Federation.ServerOptions.EvalEvery"/>).</param>
/// <param name="TestLoss">Its mean cross-entropy on the test set; null when the round was not evaluated.</param>
/// <param name="TrainLoss">The clients' training losses averaged with their sample counts as weights; null in round 0.</param>
/// <param name="Seconds">The round's wall-clock time.</param>
/// <param name="UploadBytes">The bytes of all the aggregated clients' updates.</param>
/// <param name="Clients">The clients whose updates were aggregated.</param>
/// <param name="Reselected">Whether the round selected new masks (true) or reused the last selection's.</param>
/// <param name="Terms">The round's selection terms, when computed.</param>
/// <param name="Failures">The sampled clients that were left out; null when none was.</param>
/// <param name="DownloadBytes">The global weights sent to clients, or null in a simulation.</param>
public sealed record RoundRecord(
    int Round,
    double? TestAccuracy,
    double? TestLoss,
    double? TrainLoss,
    double Seconds,
    long UploadBytes,
    IReadOnlyList<ClientSelection> Clients,
    bool Reselected,
    SelectionTerms? Terms = null,
    IReadOnlyList<ClientFailure>? Failures = null,
    long? DownloadBytes = null)
{
    /// <summary>Whether the global model was evaluated after the round.</summary>
    public bool Evaluated => TestAccuracy is not null;

    /// <summary>The local training arithmetic of the round's clients together.</summary>
    public double TrainingFlops => Clients.Sum(c => c.TrainingFlops);

    /// <summary>The smallest number of clients behind any layer trained in the round; null for round 0.</summary>
    public int? FewestLayerClients { get; init; }

    /// <summary>How many bad clients the aggregation rule tolerates on that least-trained layer (0 for a mean); null for round 0.</summary>
    public int? ToleratedBadClients { get; init; }

    /// <summary>The client-level differential privacy epsilon spent up to and including this round, at the run's delta; null without privacy.</summary>
    public double? Epsilon { get; init; }
}
