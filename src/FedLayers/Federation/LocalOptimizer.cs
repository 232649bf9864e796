using TorchSharp.Modules;
using static FedLayers.Validation.FieldCheck;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// The optimiser a client trains its layers with. A new one is made for every local training (a
/// client keeps no optimiser state from one round to the next, as in FedAvg), over the parameters of
/// the groups it trains only. Derive from it to bring another optimiser.
/// </summary>
public abstract record LocalOptimizer
{
    /// <summary>A new optimiser over <paramref name="parameters"/> at <paramref name="learningRate"/>.</summary>
    public abstract optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate);

    /// <summary>Plain SGD, PAPER.md's reference setup.</summary>
    public static LocalOptimizer PlainSgd { get; } = new Sgd();

    /// <summary>Stochastic gradient descent.</summary>
    /// <param name="Momentum">the heavy-ball coefficient in [0, 1); 0 is plain SGD.</param>
    /// <param name="WeightDecay">L2 penalty added to the gradient, at least 0.</param>
    /// <param name="Nesterov">Nesterov's momentum (needs a momentum above 0).</param>
    public sealed record Sgd(double Momentum = 0, double WeightDecay = 0, bool Nesterov = false) : LocalOptimizer
    {
        /// <summary>The heavy-ball coefficient.</summary>
        public double Momentum { get; } = InRange(Momentum, 0, 1, nameof(Momentum), maxExclusive: true);

        /// <summary>The L2 penalty.</summary>
        public double WeightDecay { get; } = InRange(WeightDecay, 0, double.MaxValue, nameof(WeightDecay));

        /// <summary>Whether the momentum is Nesterov's.</summary>
        public bool Nesterov { get; } = !Nesterov || Momentum > 0 ? Nesterov
            : throw new ArgumentException("Nesterov's momentum needs a momentum above 0", nameof(Nesterov));

        /// <inheritdoc/>
        public override optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate) =>
            Momentum == 0 && WeightDecay == 0
                ? optim.SGD(parameters, learningRate)
                : optim.SGD(parameters, learningRate, momentum: Momentum, weight_decay: WeightDecay, nesterov: Nesterov);
    }

    /// <summary>What Adam and AdamW share: the decays of the gradient's running moments, the denominator's epsilon and a weight decay.</summary>
    /// <param name="Beta1">decay of the gradient's running mean, in [0, 1).</param>
    /// <param name="Beta2">decay of the squared gradient's running mean, in [0, 1).</param>
    /// <param name="Epsilon">added to the denominator, in (0, 1].</param>
    /// <param name="WeightDecay">the weight decay, at least 0.</param>
    public abstract record AdaptiveMoments(double Beta1, double Beta2, double Epsilon, double WeightDecay) : LocalOptimizer
    {
        /// <summary>Decay of the gradient's running mean.</summary>
        public double Beta1 { get; } = InRange(Beta1, 0, 1, nameof(Beta1), maxExclusive: true);

        /// <summary>Decay of the squared gradient's running mean.</summary>
        public double Beta2 { get; } = InRange(Beta2, 0, 1, nameof(Beta2), maxExclusive: true);

        /// <summary>Added to the denominator.</summary>
        public double Epsilon { get; } = InRange(Epsilon, 0, 1, nameof(Epsilon), minExclusive: true);

        /// <summary>The weight decay.</summary>
        public double WeightDecay { get; } = InRange(WeightDecay, 0, double.MaxValue, nameof(WeightDecay));
    }

    /// <summary>Adam (Kingma and Ba), with the weight decay added to the gradient as an L2 term.</summary>
    public sealed record Adam(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0)
        : AdaptiveMoments(Beta1, Beta2, Epsilon, WeightDecay)
    {
        /// <inheritdoc/>
        public override optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate) =>
            optim.Adam(parameters, learningRate, Beta1, Beta2, Epsilon, WeightDecay);
    }

    /// <summary>AdamW (Loshchilov and Hutter): Adam with the weight decay applied to the weights (times the rate), not the gradient.</summary>
    public sealed record AdamW(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0.01)
        : AdaptiveMoments(Beta1, Beta2, Epsilon, WeightDecay)
    {
        /// <inheritdoc/>
        public override optim.Optimizer Create(IReadOnlyList<Parameter> parameters, double learningRate) =>
            optim.AdamW(parameters, learningRate, Beta1, Beta2, Epsilon, WeightDecay);
    }
}
