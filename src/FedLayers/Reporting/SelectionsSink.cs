namespace FedLayers.Reporting;

/// <summary>selections.jsonl: per round, every sampled client's budget, the cost it used and its trained
/// groups; each line names the cost unit so it reads on its own.</summary>
/// <param name="path">the selections.jsonl file, appended to.</param>
/// <param name="costUnit">the unit of budgets and costs (layers, params or flops).</param>
public sealed class SelectionsSink(string path, string costUnit) : IRoundSink
{
    private readonly JsonLinesWriter writer = new(path);

    /// <summary>Appends the round's clients; nothing for round 0.</summary>
    public void OnRound(RoundRecord r)
    {
        if (r.Clients.Count == 0) return;
        writer.Append(new
        {
            round = r.Round,
            reselected = r.Reselected,
            cost_unit = costUnit,
            clients = r.Clients.Select(c => new
            {
                client = c.ClientId,
                budget = c.Budget,
                cost = c.Cost,
                groups = c.Groups,
                samples = c.SampleCount,
                weight = c.Weight,
                clip_scale = c.ClipScale,
                upload_bytes = c.UploadBytes,
                train_flops = c.TrainingFlops,
                train_loss = c.TrainLoss,
            }),
        });
    }
}
