using FedLayers.Federation;
using static FedLayers.Setup.RunSettings;

namespace FedLayers.Setup;

/// <summary>
/// The range client budgets are drawn from, in the unit of --cost. Each budget option belongs to one
/// unit, and giving it with the other is an error rather than silently ignored: --min-layers and
/// --max-layers count layers, so they go with --cost layers only; --min-budget and --max-budget are
/// fractions of a summed cost, so they go with --cost params or flops only. --budget-distribution reference centres
/// budgets at 1 layer, which has no counterpart in fractions of a summed cost, so it goes with --cost layers only
/// (refused rather than reinterpreted, e.g. as the cost of an average layer, which the reference never defined).
/// </summary>
public static class BudgetRange
{
    /// <summary>--min-layers when not given (with --cost layers): the smallest budget, in layers.</summary>
    public const int DefaultMinLayers = 1;

    /// <summary>--max-layers when not given (with --cost layers): the largest budget, in layers.</summary>
    public const int DefaultMaxLayers = 4;

    /// <summary>--min-budget when not given (with --cost params or flops): the smallest budget, as a fraction of the summed cost.</summary>
    public const double DefaultMinBudget = 0.1;

    /// <summary>--max-budget when not given (with --cost params or flops): the largest budget, as a fraction of the summed cost.</summary>
    public const double DefaultMaxBudget = 0.4;

    /// <summary>The configuration with the range of its cost unit filled in from the defaults, as config.json
    /// records it; the options of the other unit stay unset.</summary>
    public static RunConfig WithDefaults(RunConfig config) => config.Get(Cost) == LayerCosts.Layers
        ? config.With(MinLayers, config.Get(MinLayers) ?? DefaultMinLayers).With(MaxLayers, config.Get(MaxLayers) ?? DefaultMaxLayers)
        : config.With(MinBudget, config.Get(MinBudget) ?? DefaultMinBudget).With(MaxBudget, config.Get(MaxBudget) ?? DefaultMaxBudget);

    /// <summary>The budget options agree with --cost and with each other.</summary>
    public static void Check(RunConfig config)
    {
        string cost = config.Get(Cost);
        Require(LayerCosts.Units.Contains(cost), Cost, $"unknown cost unit '{cost}'; expected one of {string.Join(", ", LayerCosts.Units)}");
        Require(cost == LayerCosts.Layers || config.Get(BudgetDistribution) != ClientBudgetDistribution.Reference, BudgetDistribution,
            $"reference centres budgets at 1 layer, which has no meaning for the fractions of the summed cost of --cost {cost}; " +
            $"use --budget-distribution centred with --cost {cost}, or --cost layers");
        var resolved = WithDefaults(config);
        if (cost == LayerCosts.Layers)
        {
            const string useLayers = "is a fraction of the summed cost of --cost params or flops; with --cost layers use --min-layers/--max-layers";
            Require(config.Get(MinBudget) is null, MinBudget, useLayers);
            Require(config.Get(MaxBudget) is null, MaxBudget, useLayers);
            var (min, max) = (resolved.Get(MinLayers), resolved.Get(MaxLayers));
            Require(min >= 1, MinLayers, $"must be at least 1, got {min}");
            Require(min <= max, MinLayers, $"({min}) must not exceed --max-layers ({max})");
            return;
        }
        string useFractions = $"counts layers, which --cost {cost} does not; use --min-budget/--max-budget (fractions of the selectable total {cost})";
        Require(config.Get(MinLayers) is null, MinLayers, useFractions);
        Require(config.Get(MaxLayers) is null, MaxLayers, useFractions);
        foreach (var setting in new[] { MinBudget, MaxBudget })
            Require(resolved.Get(setting) is > 0 and <= 1, setting, $"must be a fraction in (0, 1] of the selectable total {cost}, got {resolved.Get(setting)}");
        Require(resolved.Get(MinBudget) <= resolved.Get(MaxBudget), MinBudget,
            $"({resolved.Get(MinBudget)}) must not exceed --max-budget ({resolved.Get(MaxBudget)})");
    }

    /// <summary>The budgets fit the model's number of selectable layers.</summary>
    public static void CheckAgainstModel(RunConfig config, int selectableLayers)
    {
        var maxLayers = WithDefaults(config).Get(MaxLayers);
        Require(config.Get(Cost) != LayerCosts.Layers || maxLayers <= selectableLayers, MaxLayers,
            $"must not exceed the {selectableLayers} selectable layers of --model {config.Get(Model)}, got {maxLayers}");
    }

    private static void Require(bool condition, Setting setting, string expectation)
    {
        if (!condition) throw new UserInputException($"{setting.Option}: {expectation}");
    }
}
