using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace FedLayers.Reporting;

/// <summary>
/// TensorBoard event files in the run folder's tensorboard/ (TorchSharp's SummaryWriter), so the
/// curves of one run, or of a whole comparison (<c>tensorboard --logdir COMPARISON/runs</c>), can be
/// viewed in TensorBoard. Scalars per round: test accuracy and loss (rounds that were evaluated), train loss, upload bytes and
/// the selection terms when the round has them.
/// </summary>
/// <param name="folder">the folder the event files go into.</param>
public sealed class TensorBoardSink(string folder) : IRoundSink
{
    private readonly SummaryWriter writer = SummaryWriter(folder, createRunName: false);

    /// <summary>Adds the round's scalars at step <see cref="RoundRecord.Round"/>.</summary>
    public void OnRound(RoundRecord r)
    {
        if (r.TestAccuracy is { } accuracy) writer.add_scalar("test/accuracy", (float)accuracy, r.Round);
        if (r.TestLoss is { } loss) writer.add_scalar("test/loss", (float)loss, r.Round);
        if (r.TrainLoss is { } train) writer.add_scalar("train/loss", (float)train, r.Round);
        writer.add_scalar("upload/bytes", r.UploadBytes, r.Round);
        if (r.Epsilon is { } epsilon) writer.add_scalar("privacy/epsilon", (float)epsilon, r.Round);
        if (r.Terms is null) return;
        writer.add_scalar("selection/disagreement", (float)r.Terms.Disagreement, r.Round);
        if (r.Terms.UnselectedGradientShare is { } share) writer.add_scalar("selection/unselected_gradient_share", (float)share, r.Round);
    }
}
