using FedLayers.Aggregation;
using FedLayers.Federation;
using FedLayers.Models;
using FedLayers.Selection;
using static FedLayers.Setup.BuiltInStrategies;
using static FedLayers.Setup.RunSettings;

namespace FedLayers.Setup;

/// <summary>
/// Client-level differential privacy as a configuration asks for it (<c>--dp-noise-multiplier</c>, <c>--dp-delta</c>,
/// <c>--dp-epsilon-budget</c>): checked before anything is built, then the private aggregation and its accounting.
/// See docs/PRIVACY.md for the argument.
/// </summary>
public static class PrivacySetup
{
    /// <summary>The delta reported when none is given: a tenth of one over the number of clients.</summary>
    public static double DefaultDelta(int clients) => 0.1 / clients;

    /// <summary>Refuses a configuration whose privacy settings do not make a sound run.</summary>
    /// <param name="config">the run's configuration.</param>
    /// <param name="selector">the run's strategy: strategic's probe is released privately (<see cref="PrivateProbe"/>); another strategy that
    /// probes would release gradient statistics the accountant does not count, and is refused.</param>
    public static void Check(RunConfig config, ILayerSelector selector)
    {
        if (config.Get(DpNoiseMultiplier) is not { } noise)
        {
            foreach (var setting in new[] { (Setting)DpDelta, DpEpsilonBudget, DpProbeNoiseMultiplier })
                if (config.ValueOf(setting) is not null) throw new UserInputException($"{setting.Option}: only with {DpNoiseMultiplier.Option}");
            return;
        }
        if (config.Get(ClipNorm) is null)
            throw new UserInputException($"{DpNoiseMultiplier.Option}: needs {ClipNorm.Option}, the bound on a client's update the noise is scaled to");
        if (selector.NeedsProbe && selector is not StrategicSelector)
            throw new UserInputException($"{Strategy.Option} {config.Get(Strategy)}: its per-client probe scores are not released privately; under " +
                                         $"{DpNoiseMultiplier.Option} the probing strategy is strategic (its probe is a noisy population profile " +
                                         "counted in epsilon), or use one that does not probe (top, bottom, both, full)");
        if (config.Get(StrategicWeights) == StrategicWeighting.Samples)
            throw new UserInputException($"{StrategicWeights.Option} samples: under {DpNoiseMultiplier.Option} strategic selects from one noisy " +
                                         "population profile shared by all clients, so there is no client's gradient mass to weight; leave it at equal");
        if (config.Get(Diagnostics))
            throw new UserInputException($"{Diagnostics.Option}: probes every round, a release the accountant does not count; leave it out under {DpNoiseMultiplier.Option}");
        if (config.Get(Aggregator) != "mean")
            throw new UserInputException($"{Aggregator.Option} {config.Get(Aggregator)}: under {DpNoiseMultiplier.Option} a layer is the noisy sum of its clipped updates; leave --aggregator at mean");
        var accounting = AccountingOf(config, noise, selector);
        if (accounting.EpsilonBudget is { } budget && accounting.EpsilonAfter([selector.NeedsProbe]) is var epsilon && epsilon > budget)
            throw new UserInputException($"{DpEpsilonBudget.Option}: {budget} is spent by the first round already (epsilon {epsilon:G4}); " +
                                         $"raise it or {DpNoiseMultiplier.Option}");
    }

    /// <summary>The private aggregation, its accounting and the private probe (for strategic), or null for a run without privacy.</summary>
    /// <param name="config">the run's configuration, checked by <see cref="Check"/>.</param>
    /// <param name="groups">the model's layer groups.</param>
    /// <param name="selector">the strategy: for one that assigns layers from budgets alone (a fixed order, or all), the layers no client can
    /// ever be assigned get no noise; for any other every selectable layer counts as possible for every client.</param>
    /// <param name="budgets">every client's budget.</param>
    /// <param name="layerCosts">the selectable layers' costs.</param>
    public static (LayerwiseAggregator Aggregation, PrivacyAccounting Accounting, PrivateProbe? Probe)? Build(RunConfig config, IReadOnlyList<LayerGroup> groups,
        ILayerSelector selector, IReadOnlyList<double> budgets, IReadOnlyList<double> layerCosts)
    {
        if (config.Get(DpNoiseMultiplier) is not { } noise) return null;
        var accounting = AccountingOf(config, noise, selector);
        var selectable = groups.Where(g => g.Role == LayerRole.Selectable).ToList();
        var clients = Enumerable.Range(0, budgets.Count).ToList();
        IReadOnlyList<bool[]> possible = selector is FixedOrderSelector or FullSelector
            ? selector.Select(new SelectionContext(1, clients, budgets, layerCosts, new Dictionary<int, bool[]>(),
                () => throw new InvalidOperationException("a strategy that assigns layers from budgets alone asked for a probe")))
            : [.. clients.Select(_ => Enumerable.Repeat(true, selectable.Count).ToArray())];
        var denominators = new Dictionary<string, double>();
        foreach (var group in groups.Where(g => g.Role != LayerRole.Fixed))
        {
            int layer = selectable.IndexOf(group);
            int able = layer < 0 ? clients.Count : possible.Count(mask => mask[layer]);
            if (able > 0) denominators[group.Name] = accounting.SamplingRate * able;
        }
        double clipNorm = config.Get(ClipNorm)!.Value;
        var privacy = new PrivateAggregation(new DpNoise(noise, clipNorm, config.Get(Seed)), denominators);
        var probe = accounting.ProbeNoiseMultiplier is { } probeNoise ? new PrivateProbe(probeNoise, config.Get(Seed), config.Get(ProbeEstimatorChoice)) : null;
        return (new LayerwiseAggregator(new ClientWeighting(BySamples: false), new MeanAggregator(), clipNorm, privacy), accounting, probe);
    }

    private static PrivacyAccounting AccountingOf(RunConfig config, double noise, ILayerSelector selector) =>
        new((double)config.Get(ClientsPerRound) / config.Get(Clients), noise, config.Get(DpDelta) ?? DefaultDelta(config.Get(Clients)),
            config.Get(DpEpsilonBudget), selector.NeedsProbe ? config.Get(DpProbeNoiseMultiplier) ?? noise : null);
}
