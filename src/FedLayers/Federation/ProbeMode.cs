namespace FedLayers.Federation;

/// <summary>
/// The module mode a gradient probe differentiates in. It matters for models with batch norm (ResNet18: eval normalises
/// by the running statistics, training by the batch's) and dropout (MiniLM); a model with neither probes the same in both.
/// </summary>
public enum ProbeMode
{
    /// <summary>Every group in eval mode: FedLayers' first probe and the one every published number used.</summary>
    Eval,

    /// <summary>Every group in the mode local training puts it in when trained: the selectable and common groups in train
    /// mode (batch statistics, dropout seeded from the probe's stream), the fixed groups in eval mode; the gradient
    /// training will follow. Running statistics and torch's generator are left as they were.</summary>
    Train,
}
