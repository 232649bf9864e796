namespace FedLayers.Selection;

/// <summary>SNR: the layers with the largest gradient signal-to-noise ratio.</summary>
public sealed class SnrSelector : ProbeScoreSelector
{
    /// <inheritdoc/>
    public override string Name => "snr";
    /// <inheritdoc/>
    protected override double[] Scores(LayerProbe probe) => probe.SignalToNoise;
}
