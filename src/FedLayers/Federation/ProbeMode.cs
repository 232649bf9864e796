namespace FedLayers.Federation;

/// <summary>
/// The module mode a gradient probe differentiates in. It matters for models with batch norm (ResNet18: eval normalises
/// by the running statistics, training by the batch's) and dropout (MiniLM); a model with neither probes the same in both.
/// </summary>
public enum ProbeMode
{
    /// <summary><see cref="Train"/> for a model with batch norm, whose training gradient is the one of batch statistics;
    /// <see cref="Eval"/> otherwise, where train mode would only add dropout's noise to the probe. The default.</summary>
    Auto,

    /// <summary>Every group in eval mode: FedLayers' first probe (the default until issue 17's comparison).</summary>
    Eval,

    /// <summary>Every group in the mode local training puts it in when trained: the selectable and common groups in train
    /// mode (batch statistics, dropout seeded from the probe's stream), the fixed groups in eval mode; the gradient
    /// training will follow. Running statistics and torch's generator are left as they were.</summary>
    Train,
}
