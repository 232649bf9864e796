using FedLayers.Aggregation;
using FedLayers.Selection;

namespace FedLayers.Setup;

/// <summary>FedLayers' own layer selection strategies (PAPER.md, "Baselines" and "The proposed strategy").</summary>
public static class BuiltInStrategies
{
    /// <summary>--lambda: the weight of the strategic strategy's disagreement penalty (docs/SELECTION.md).</summary>
    public static readonly Setting<double> Lambda = Setting.Number("lambda", 0.1,
        "Weight of the disagreement penalty, scale-free (docs/SELECTION.md).");

    /// <summary>--dp-probe-noise-multiplier: under privacy, the noise on strategic's probe.</summary>
    public static readonly Setting<double?> DpProbeNoiseMultiplier = Setting.OptionalNumber("dp-probe-noise-multiplier",
        "Under privacy, strategic selects from the sampled clients' summed shares of their gradient mass per layer plus Gaussian noise of this standard deviation; counted in epsilon.",
        min: 0, minExclusive: true, unsetText: "--dp-noise-multiplier's value");

    /// <summary>--strategic-weights: whether strategic weights each client's gradient mass by its samples (docs/SELECTION.md).</summary>
    public static readonly Setting<StrategicWeighting> StrategicWeights = Setting.Choice("strategic-weights", StrategicWeighting.Equal,
        "How strategic weights each client's gradient mass: equal (the paper's objective) or samples (its sample count over the sampled " +
        "clients' mean, capped by --max-client-weight as in the aggregation); docs/SELECTION.md.",
        ("equal", StrategicWeighting.Equal), ("samples", StrategicWeighting.Samples));

    /// <summary>--fill-budget: strategic tops up the budget its solve leaves unused with each client's best remaining layers.</summary>
    public static readonly Setting<bool> FillBudget = Setting.Flag("fill-budget",
        "After strategic's solve, each client also takes its unselected layers in descending gradient mass while they fit its budget (the paper's reference code's top-up, never over the budget).");

    /// <summary>The wall-clock safety net of one strategic solve; a solve that hits it is reported, not hidden.</summary>
    public const double SolverTimeLimitSeconds = 60;

    /// <summary>Adds FedLayers' strategies to <paramref name="strategies"/>, e.g. to an empty <see cref="Registries"/>' registry.</summary>
    /// <exception cref="ArgumentException">one of their names is registered already.</exception>
    public static void AddTo(Registry<StrategyEntry> strategies) => strategies
        .Add(new("full", "Every client trains every layer, budgets ignored (the upper reference).", _ => new FullSelector()))
        .Add(new("head", "No client trains a selectable layer, only the common groups (the linear-probe floor of a comparison).", _ => new HeadSelector()))
        .Add(new("top", "Each client trains its budget's worth of layers nearest the output.", _ => new TopSelector()))
        .Add(new("bottom", "Each client trains its budget's worth of layers nearest the input.", _ => new BottomSelector()))
        .Add(new("both", "Layers alternately from the input and the output end.", _ => new BothSelector()))
        .Add(new("rgn", "Per client, the layers with the largest relative gradient norm (probes).", _ => new RgnSelector()))
        .Add(new("snr", "Per client, the layers with the largest gradient signal-to-noise ratio (probes).", _ => new SnrSelector()))
        .Add(new("strategic", "All clients at once: gradient mass trained minus lambda times disagreement, solved exactly (probes).",
            arguments => new StrategicSelector(arguments.Config.Get(Lambda), SolverTimeLimitSeconds, solution =>
            {
                if (solution.Status != "optimal")
                    arguments.Warn($"strategic selection not proven optimal within {SolverTimeLimitSeconds} s (gap {solution.Gap:P2}); using the best masks found");
            }, arguments.Config.Get(RunSettings.ProbeEstimatorChoice), SampleWeightingOf(arguments.Config), arguments.Config.Get(FillBudget)))
        {
            Settings = [Lambda, DpProbeNoiseMultiplier, StrategicWeights, FillBudget],
        });

    /// <summary>The weighting <see cref="StrategicWeights"/> chose: by samples with the aggregation's cap (--max-client-weight, which a
    /// deployment sets by default), or null for equal weights.</summary>
    private static ClientWeighting? SampleWeightingOf(RunConfig config) =>
        config.Get(StrategicWeights) == StrategicWeighting.Samples ? new ClientWeighting(BySamples: true, config.Get(RunSettings.MaxClientWeight)) : null;
}
