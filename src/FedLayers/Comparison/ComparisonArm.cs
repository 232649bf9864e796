using System.Globalization;
using FedLayers.Setup;

namespace FedLayers.Comparison;

/// <summary>
/// One arm of a comparison: a strategy, possibly with settings of its own, under a name that tells the arms apart in the
/// tables, the plots and the run folders (<c>strategic@0.1</c> is strategic at lambda 0.1).
/// </summary>
/// <param name="Name">the arm's name in results and run folders; unique within a comparison.</param>
/// <param name="Strategy">the registered strategy the arm runs.</param>
/// <param name="Configure">the arm's own settings on top of the comparison's shared configuration; null: none.</param>
public sealed record ComparisonArm(string Name, string Strategy, Func<RunConfig, RunConfig>? Configure = null)
{
    /// <summary>The strategy as it is, named after itself.</summary>
    public static ComparisonArm Of(string strategy) => new(strategy, strategy);

    /// <summary>Strategic at <paramref name="lambda"/>, named <c>strategic@lambda</c>.</summary>
    public static ComparisonArm StrategicAt(double lambda) =>
        new($"strategic@{lambda.ToString("R", CultureInfo.InvariantCulture)}", "strategic", config => config.With(BuiltInStrategies.Lambda, lambda));

    /// <summary>The configuration of this arm's run with <paramref name="seed"/> into <paramref name="folder"/>.</summary>
    public RunConfig ConfigFor(RunConfig shared, int seed, string folder) =>
        (Configure?.Invoke(shared) ?? shared).With(RunSettings.Strategy, Strategy).With(RunSettings.Seed, seed).With(RunSettings.Out, folder);
}
