namespace FedLayers.Selection;

/// <summary>
/// The two selection terms of the convergence bound (PAPER.md, "What the theory says"), computed
/// from one round's masks and probe. Index i runs over the round's sampled clients, l over the
/// selectable layers.
/// </summary>
public static class SelectionDiagnostics
{
    /// <summary>
    /// The share of gradient mass the selection leaves untrained:
    /// sum_i n_i sum_l (1 - m_il) g_il / sum_i n_i sum_l g_il, in [0, 1]; 0 when every g is 0.
    /// </summary>
    /// <param name="masks">m_il, per client the layers it trains.</param>
    /// <param name="gradients">g_il, the probe's squared gradient norms.</param>
    /// <param name="sampleCounts">n_i, each client's number of training samples.</param>
    public static double UnselectedGradientShare(IReadOnlyList<bool[]> masks, IReadOnlyList<IReadOnlyList<double>> gradients, IReadOnlyList<int> sampleCounts)
    {
        RequireShape(masks, gradients.Count, "gradient rows");
        if (sampleCounts.Count != masks.Count) throw new ArgumentException($"{sampleCounts.Count} sample counts for {masks.Count} clients", nameof(sampleCounts));
        double unselected = 0, total = 0;
        for (int i = 0; i < masks.Count; i++)
        {
            if (gradients[i].Count != masks[i].Length)
                throw new ArgumentException($"client {i}: {gradients[i].Count} gradients for {masks[i].Length} layers", nameof(gradients));
            for (int l = 0; l < masks[i].Length; l++)
            {
                double weighted = sampleCounts[i] * gradients[i][l];
                total += weighted;
                if (!masks[i][l]) unselected += weighted;
            }
        }
        return total == 0 ? 0 : unselected / total;
    }

    /// <summary>
    /// The disagreement between clients, sum_l n_l (K - n_l), divided by its largest possible value
    /// L K^2 / 4 (every layer taken by half the clients), so it lies in [0, 1] for any K and L:
    /// 0 when all clients chose the same layers.
    /// </summary>
    public static double NormalizedDisagreement(IReadOnlyList<bool[]> masks)
    {
        RequireShape(masks, masks.Count, "masks");
        int clients = masks.Count, layers = masks[0].Length;
        double disagreement = 0;
        for (int l = 0; l < layers; l++)
        {
            int taken = masks.Count(m => m[l]);
            disagreement += (double)taken * (clients - taken);
        }
        return disagreement / (layers * (double)clients * clients / 4);
    }

    private static void RequireShape(IReadOnlyList<bool[]> masks, int rows, string what)
    {
        if (masks.Count == 0 || masks[0].Length == 0) throw new ArgumentException("expected at least one client and one layer", nameof(masks));
        if (rows != masks.Count) throw new ArgumentException($"{rows} {what} for {masks.Count} clients");
        if (masks.Any(m => m.Length != masks[0].Length)) throw new ArgumentException("every mask must cover the same layers", nameof(masks));
    }
}
