namespace FedLayers.Selection;

/// <summary>RGN: the layers with the largest relative gradient norm ||grad_l|| / ||theta_l||
/// (Lee et al. 2022, "Surgical fine-tuning").</summary>
public sealed class RgnSelector : ProbeScoreSelector
{
    /// <inheritdoc/>
    public override string Name => "rgn";
    /// <inheritdoc/>
    protected override double[] Scores(LayerProbe probe) => probe.RelativeGradNorm;
}
