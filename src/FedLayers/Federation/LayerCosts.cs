using FedLayers.Models;

namespace FedLayers.Federation;

/// <summary>
/// The cost c_l of each selectable layer in one of the <see cref="Units"/>; client budgets are in
/// the same unit. Costs come from the model's own <see cref="LayerGroup"/> description.
/// </summary>
public static class LayerCosts
{
    /// <summary>Every layer costs 1: budgets count layers, as in the paper.</summary>
    public const string Layers = "layers";

    /// <summary>A layer costs its parameter count (memory and upload grow with it).</summary>
    public const string Params = "params";

    /// <summary>A layer costs its forward FLOPs per sample (training compute grows with it).</summary>
    public const string Flops = "flops";

    /// <summary>Every unit a cost can be in: <see cref="Layers"/>, <see cref="Params"/>, <see cref="Flops"/>.</summary>
    public static readonly IReadOnlyList<string> Units = [Layers, Params, Flops];

    /// <summary>The cost of each selectable layer in <paramref name="unit"/>, in the order given.</summary>
    /// <param name="selectableLayers">the model's selectable groups, input to output.</param>
    /// <param name="unit">one of <see cref="Units"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unit"/> is not one of <see cref="Units"/>.</exception>
    public static double[] Of(IReadOnlyList<LayerGroup> selectableLayers, string unit) => unit switch
    {
        Layers => selectableLayers.Select(_ => 1.0).ToArray(),
        Params => selectableLayers.Select(g => (double)g.ParameterCount).ToArray(),
        Flops => selectableLayers.Select(g => (double)g.ForwardFlopsPerSample).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, $"expected one of {string.Join(", ", Units)}"),
    };
}
