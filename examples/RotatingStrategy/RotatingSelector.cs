using FedLayers.Selection;

namespace FedLayers.Examples.RotatingStrategy;

/// <summary>
/// A strategy of your own: every client trains a window of adjacent layers that moves one layer towards
/// the input each round, so that over a few rounds every layer is trained by someone. Registered
/// beside the seven built-in ones (Program.cs), it runs like them.
/// </summary>
public sealed class RotatingSelector : ILayerSelector
{
    public string Name => "rotating";

    public bool NeedsProbe => false;

    public IReadOnlyList<bool[]> Select(SelectionContext context)
    {
        int layers = context.LayerCount;
        // starting from the top layer in round 1, then one lower each round (and each client one lower again)
        return [.. context.ClientIds.Select((client, i) => BudgetFill.TakeInOrder(
            Enumerable.Range(0, layers).Select(k => ((layers - 1 - (context.Round - 1) - client - k) % layers + layers) % layers),
            context.LayerCosts, context.Budgets[i]))];
    }
}
