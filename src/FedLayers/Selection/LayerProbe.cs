namespace FedLayers.Selection;

/// <summary>
/// Gradient statistics of one client at the current global weights, one entry per
/// selectable layer (input to output). Computed on the client's own data, no weight update.
/// </summary>
/// <param name="SquaredGradNorm">g_il: squared gradient norm of layer l, summed over the probe batches.</param>
/// <param name="RelativeGradNorm">||grad_l|| / ||theta_l|| of the batch-averaged gradient (RGN).</param>
/// <param name="SignalToNoise">sum over the layer's tensors of mean(grad)^2 / std(grad) of the batch-averaged gradient (SNR).</param>
/// <param name="Batches">how many probe mini-batches were used.</param>
public sealed record LayerProbe(double[] SquaredGradNorm, double[] RelativeGradNorm, double[] SignalToNoise, int Batches);
