namespace FedLayers.Reporting;

/// <summary>selections.jsonl: per round, every sampled client's budget and trained groups.</summary>
public sealed class SelectionsSink(string path) : IRoundSink
{
    private readonly JsonLinesWriter writer = new(path);

    public void OnRound(RoundRecord r)
    {
        if (r.Clients.Count == 0) return;
        writer.Append(new
        {
            round = r.Round,
            reselected = r.Reselected,
            clients = r.Clients.Select(c => new
            {
                client = c.ClientId,
                budget = c.Budget,
                groups = c.Groups,
                samples = c.SampleCount,
                upload_bytes = c.UploadBytes,
                train_loss = c.TrainLoss,
            }),
        });
    }
}
