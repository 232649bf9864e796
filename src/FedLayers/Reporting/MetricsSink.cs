namespace FedLayers.Reporting;

/// <summary>metrics.jsonl: one object per round with the round's headline numbers and selection terms.</summary>
/// <param name="path">the metrics.jsonl file, appended to.</param>
public sealed class MetricsSink(string path) : IRoundSink
{
    private readonly JsonLinesWriter writer = new(path);

    /// <summary>Appends the round's line.</summary>
    public void OnRound(RoundRecord r) => writer.Append(new
    {
        round = r.Round,
        test_accuracy = r.TestAccuracy,
        test_loss = r.TestLoss,
        train_loss = r.TrainLoss,
        seconds = r.Seconds,
        upload_bytes = r.UploadBytes,
        download_bytes = r.DownloadBytes,
        train_flops = r.TrainingFlops,
        unselected_gradient_share = r.Terms?.UnselectedGradientShare,
        disagreement = r.Terms?.Disagreement,
        fewest_layer_clients = r.FewestLayerClients,
        tolerated_bad_clients = r.ToleratedBadClients,
        dp_epsilon = r.Epsilon,
    });
}
