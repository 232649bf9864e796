namespace FedLayers.Selection;

/// <summary>The strategies <c>--strategy</c> can name.</summary>
public static class StrategyCatalog
{
    public static readonly IReadOnlyList<string> Names = ["full", "top", "bottom", "both", "rgn", "snr", "strategic"];

    /// <param name="lambda">weight of the disagreement penalty (strategic only), scale-free (see README).</param>
    /// <param name="onSolved">told about every strategic solve, e.g. to warn when it is not proven optimal.</param>
    public static ILayerSelector Create(string name, double lambda, double solverTimeLimitSeconds, Action<Solver.SelectionSolution>? onSolved = null) => name switch
    {
        "full" => new FullSelector(),
        "top" => new TopSelector(),
        "bottom" => new BottomSelector(),
        "both" => new BothSelector(),
        "rgn" => new RgnSelector(),
        "snr" => new SnrSelector(),
        "strategic" => new StrategicSelector(lambda, solverTimeLimitSeconds, onSolved),
        _ => throw new UserInputException($"--strategy: unknown strategy '{name}'; expected one of {string.Join(", ", Names)}"),
    };
}
