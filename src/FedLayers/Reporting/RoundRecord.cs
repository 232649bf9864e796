namespace FedLayers.Reporting;

/// <summary>One client's part in a round: its budget, the summed cost of the selectable layers it
/// trained (same unit; above the budget only under <c>full</c>), and the groups it trained.</summary>
/// <param name="TrainingFlops">the arithmetic of the client's local training (see Federation.TrainingFlops).</param>
public sealed record ClientSelection(int ClientId, double Budget, double Cost, IReadOnlyList<string> Groups, int SampleCount, long UploadBytes, double TrainLoss,
    double TrainingFlops = 0);

/// <summary>
/// The theory's two selection terms for one round (see <see cref="Selection.SelectionDiagnostics"/>):
/// the share of gradient mass left untrained, known only when the round's clients were probed, and
/// the normalised disagreement between the masks.
/// </summary>
public sealed record SelectionTerms(double? UnselectedGradientShare, double Disagreement);

/// <summary>A client left out of a round: not available, too late, rejected, or failed.</summary>
public sealed record ClientFailure(int ClientId, string Reason);

/// <summary>
/// The outcome of one round. Round 0 is the evaluation of the starting weights, before any
/// training (no clients, no train loss). <see cref="Clients"/> are the clients whose updates were
/// aggregated; <see cref="Failures"/> the sampled ones that were left out. <see cref="DownloadBytes"/>: global
/// weights sent to clients in the round, known only when they travel over a network.
/// </summary>
public sealed record RoundRecord(
    int Round,
    double TestAccuracy,
    double TestLoss,
    double? TrainLoss,
    double Seconds,
    long UploadBytes,
    IReadOnlyList<ClientSelection> Clients,
    bool Reselected,
    SelectionTerms? Terms = null,
    IReadOnlyList<ClientFailure>? Failures = null,
    long? DownloadBytes = null)
{
    /// <summary>The local training arithmetic of the round's clients together.</summary>
    public double TrainingFlops => Clients.Sum(c => c.TrainingFlops);
}
