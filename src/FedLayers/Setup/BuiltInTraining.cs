using FedLayers.Federation;

namespace FedLayers.Setup;

/// <summary>FedLayers' own optimisers, losses and learning-rate schedules, with the settings each reads.</summary>
public static class BuiltInTraining
{
    /// <summary>SGD's heavy-ball coefficient.</summary>
    public static readonly Setting<double> Momentum = Setting.Number("momentum", 0, "Heavy-ball momentum in [0, 1).", min: 0, max: 1, maxExclusive: true);
    /// <summary>SGD's Nesterov switch.</summary>
    public static readonly Setting<bool> Nesterov = Setting.Flag("nesterov", "Nesterov's momentum (needs --momentum above 0).");
    /// <summary>The weight decay of every built-in optimiser.</summary>
    public static readonly Setting<double?> WeightDecay = Setting.OptionalNumber("weight-decay",
        "Weight decay: an L2 term in the gradient for sgd and adam, decoupled for adamw.", min: 0, unsetText: "0; adamw: 0.01");
    /// <summary>Adam's and AdamW's first-moment decay.</summary>
    public static readonly Setting<double> Beta1 = Setting.Number("beta1", 0.9, "Decay of the gradient's running mean, in [0, 1).", min: 0, max: 1, maxExclusive: true);
    /// <summary>Adam's and AdamW's second-moment decay.</summary>
    public static readonly Setting<double> Beta2 = Setting.Number("beta2", 0.999, "Decay of the squared gradient's running mean, in [0, 1).", min: 0, max: 1, maxExclusive: true);
    /// <summary>The cross-entropy's label smoothing.</summary>
    public static readonly Setting<double> LabelSmoothing = Setting.Number("label-smoothing", 0,
        "Share of each target spread evenly over all classes, in [0, 1).", min: 0, max: 1, maxExclusive: true);
    /// <summary>Where the cosine schedule ends, as a share of the base rate.</summary>
    public static readonly Setting<double> LrMinFactor = Setting.Number("lr-min-factor", 0,
        "The share of --lr the cosine ends at after the last round, in [0, 1].", min: 0, max: 1);
    /// <summary>Rounds between two decays of the step schedule.</summary>
    public static readonly Setting<int> LrStepRounds = Setting.Int("lr-step-rounds", 10, "Rounds between two decays.", min: 1);
    /// <summary>The step schedule's multiplier.</summary>
    public static readonly Setting<double> LrStepFactor = Setting.Number("lr-step-factor", 0.5, "Multiplier of each decay, in (0, 1].",
        min: 0, minExclusive: true, max: 1);

    /// <summary>Adds sgd, adam and adamw; cross-entropy; constant, cosine and step.</summary>
    public static void AddTo(Registries registries)
    {
        registries.Optimizers
            .Add(new("sgd", "Stochastic gradient descent, with optional momentum and weight decay (PAPER.md: plain SGD).",
                config => new LocalOptimizer.Sgd(config.Get(Momentum), config.Get(WeightDecay) ?? 0, config.Get(Nesterov)))
            {
                Settings = [Momentum, Nesterov, WeightDecay],
            })
            .Add(new("adam", "Adam, weight decay as an L2 term.",
                config => new LocalOptimizer.Adam(config.Get(Beta1), config.Get(Beta2), WeightDecay: config.Get(WeightDecay) ?? 0))
            {
                Settings = [Beta1, Beta2, WeightDecay],
            })
            .Add(new("adamw", "AdamW, decoupled weight decay.",
                config => new LocalOptimizer.AdamW(config.Get(Beta1), config.Get(Beta2), WeightDecay: config.Get(WeightDecay) ?? 0.01))
            {
                Settings = [Beta1, Beta2, WeightDecay],
            });
        registries.Losses
            .Add(new("cross-entropy", "Cross-entropy of the softmax, optionally with label smoothing.",
                config => new TrainingLoss.CrossEntropy(config.Get(LabelSmoothing)))
            {
                Settings = [LabelSmoothing],
            });
        registries.Schedules
            .Add(new("constant", "--lr in every round.", _ => LearningRateSchedule.Constant))
            .Add(new("cosine", "Cosine annealing from --lr in round 1 to --lr-min-factor times it after the last round.",
                config => new LearningRateSchedule.Cosine(config.Get(RunSettings.Rounds), config.Get(LrMinFactor)))
            {
                Settings = [LrMinFactor],
            })
            .Add(new("step", "--lr times --lr-step-factor after every --lr-step-rounds rounds.",
                config => new LearningRateSchedule.Step(config.Get(LrStepRounds), config.Get(LrStepFactor)))
            {
                Settings = [LrStepRounds, LrStepFactor],
            });
    }
}
