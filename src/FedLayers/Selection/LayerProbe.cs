namespace FedLayers.Selection;

/// <summary>
/// Gradient statistics of one client at the current global weights, one entry per
/// selectable layer (input to output). Computed on the client's own data, no weight update.
/// </summary>
/// <param name="SquaredGradNorm">sum over the probe batches of layer l's squared batch-gradient norm.</param>
/// <param name="RelativeGradNorm">||grad_l|| / ||theta_l|| of the batch-averaged gradient (RGN).</param>
/// <param name="SignalToNoise">sum over the layer's tensors of mean(grad)^2 / std(grad) of the batch-averaged gradient (SNR).</param>
/// <param name="Batches">how many probe mini-batches were used.</param>
/// <param name="MeanGradSquaredNorm">the squared norm of layer l's batch-averaged gradient.</param>
public sealed record LayerProbe(double[] SquaredGradNorm, double[] RelativeGradNorm, double[] SignalToNoise, int Batches, double[] MeanGradSquaredNorm)
{
    /// <summary>g_il per selectable layer as <paramref name="estimator"/> estimates it from this probe.</summary>
    public double[] GradientMass(ProbeEstimator estimator) => estimator switch
    {
        ProbeEstimator.BatchSum => SquaredGradNorm,
        ProbeEstimator.Mean => MeanGradSquaredNorm,
        ProbeEstimator.Unbiased when Batches < 2 => MeanGradSquaredNorm,
        // the batches' spread around their mean, s^2 = (sum_b ||G_b||^2 - B ||mean||^2) / (B - 1), is an unbiased estimate of
        // tr(Sigma_l) / batch size; the mean's squared norm carries it divided by B
        ProbeEstimator.Unbiased => [.. MeanGradSquaredNorm.Zip(SquaredGradNorm, (mean, sum) =>
            Math.Max(0, mean - (sum - Batches * mean) / ((double)Batches * (Batches - 1))))],
        _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "not a probe estimator"),
    };
}
