namespace FedLayers.Models;

/// <summary>How a parameter group takes part in selective fine-tuning (PAPER.md, Setting).</summary>
public enum LayerRole
{
    /// <summary>Never trained (embeddings, stem).</summary>
    Fixed,
    /// <summary>A layer a selection strategy may assign to a client, against its budget.</summary>
    Selectable,
    /// <summary>Always trained by every client, outside any budget (head, final norm).</summary>
    Common,
}
