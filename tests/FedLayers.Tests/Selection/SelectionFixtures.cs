using FedLayers.Selection;

namespace FedLayers.Tests.Selection;

/// <summary>Hand-made selection contexts for the strategy tests.</summary>
internal static class SelectionFixtures
{
    public static SelectionContext Context(double[] budgets, int layers, IReadOnlyList<LayerProbe>? probes = null, double[]? costs = null) =>
        new(1, Enumerable.Range(0, budgets.Length).ToList(), budgets, costs ?? Enumerable.Repeat(1.0, layers).ToArray(),
            new Dictionary<int, bool[]>(),
            () => probes ?? throw new InvalidOperationException("this strategy must not ask for a probe"));

    public static LayerProbe Probe(double[] squared, double[]? relative = null, double[]? snr = null) =>
        new(squared, relative ?? new double[squared.Length], snr ?? new double[squared.Length], 1, squared);

    /// <summary>The selected layer indices of a mask, ascending.</summary>
    public static int[] Layers(bool[] mask) => Enumerable.Range(0, mask.Length).Where(l => mask[l]).ToArray();
}
