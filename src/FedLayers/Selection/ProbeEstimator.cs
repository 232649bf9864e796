namespace FedLayers.Selection;

/// <summary>
/// How a client's gradient mass per layer, g_il, is estimated from B probe batches with gradients G_b of layer l. The paper
/// defines g_il = ||grad_l f_i(theta)||^2, the squared norm of the client's local gradient. The batch gradients scatter
/// around it with covariance Sigma_l / (batch size), so the estimators differ in the noise they add.
/// </summary>
public enum ProbeEstimator
{
    /// <summary>sum_b ||G_b||^2: FedLayers' first probe. In expectation B (||grad_l||^2 + tr(Sigma_l) / batch size): the noise term grows
    /// with the layer's parameter count and dominates at small batches.</summary>
    BatchSum,

    /// <summary>||mean_b G_b||^2: in expectation ||grad_l||^2 + tr(Sigma_l) / (B x batch size), the estimator rgn and snr read.</summary>
    Mean,

    /// <summary>||mean_b G_b||^2 minus the between-batch variance estimate over B, unbiased for ||grad_l||^2 (cut at 0); with a
    /// single batch there is no variance estimate and it is <see cref="Mean"/>.</summary>
    Unbiased,
}
