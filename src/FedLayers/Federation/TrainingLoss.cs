using static FedLayers.Validation.FieldCheck;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// The objective a client minimises and probes: a scalar from a batch's logits [B, classes] and its
/// int64 labels [B]. The test loss the server reports is always the cross-entropy, so runs with
/// different training losses stay comparable. Derive from it to bring another loss.
/// </summary>
public abstract record TrainingLoss
{
    /// <summary>The batch's mean loss, a scalar that autograd can differentiate.</summary>
    public abstract Tensor Compute(Tensor logits, Tensor labels);

    /// <summary>Cross-entropy without label smoothing, PAPER.md's objective.</summary>
    public static TrainingLoss PlainCrossEntropy { get; } = new CrossEntropy();

    /// <summary>Cross-entropy of the softmax of the logits.</summary>
    /// <param name="LabelSmoothing">the share of each target spread evenly over all classes, in [0, 1).</param>
    public sealed record CrossEntropy(double LabelSmoothing = 0) : TrainingLoss
    {
        /// <summary>The share of each target spread over all classes.</summary>
        public double LabelSmoothing { get; } = InRange(LabelSmoothing, 0, 1, nameof(LabelSmoothing), maxExclusive: true);

        /// <inheritdoc/>
        public override Tensor Compute(Tensor logits, Tensor labels) => LabelSmoothing == 0
            ? nn.functional.cross_entropy(logits, labels)
            : nn.functional.cross_entropy(logits, labels, label_smoothing: LabelSmoothing);
    }
}
