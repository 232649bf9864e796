using FedLayers.Federation;

namespace FedLayers.Setup;

/// <summary>The shape client budgets in layers are drawn with, within their range (<see cref="RunSettings.BudgetDistribution"/>).</summary>
public enum ClientBudgetDistribution
{
    /// <summary>A normal on the middle of the range (<see cref="ClientBudgets.Draw"/>; fractions of a summed cost:
    /// <see cref="ClientBudgets.DrawFractions"/>), the default.</summary>
    Centred,

    /// <summary>The paper's reference code's N(1, 1), where most clients get 1 or 2 layers (<see cref="ClientBudgets.DrawReference"/>);
    /// in layers only.</summary>
    Reference,
}
