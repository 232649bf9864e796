namespace FedLayers.Selection.Solver;

/// <summary>
/// Makes the user's lambda scale-free. The reference code multiplies raw squared gradient
/// norms by lambda, so its meaning changes with the model, the loss scale and the number of
/// probe batches. Here the problem actually solved is built as follows:
/// <list type="number">
/// <item>G = (1/K) * sum_i sum_l g_il, the mean per-client total gradient mass.</item>
/// <item>g~_il = g_il / G, or g~_il = 0 for every i, l when G = 0 (all gradients are zero).
/// A loss scale or the number of probe batches multiplies every g_il by the same factor,
/// which this division removes.</item>
/// <item>The solved problem is
/// maximize sum_il m_il g~_il - (lambda / K) * sum_l n_l (K - n_l),
/// i.e. a <see cref="SelectionProblem"/> with gradients g~ and effective lambda lambda / K.
/// The reward grows with K and the regulariser with K^2; dividing lambda by K keeps their
/// ratio independent of K.</item>
/// </list>
/// Interpretation: adding one client to a layer already taken by n others changes the penalty
/// by (lambda / K)(K - 2n - 1), which lies in (-lambda, lambda). So lambda is measured in the
/// same unit as a layer's share of a client's average total gradient mass. For example, with
/// lambda = 0.1 a client takes a layer no other client takes only if that layer holds more than
/// (K - 1) / K of a tenth of the average client's total gradient mass.
/// </summary>
public static class LambdaNormalization
{
    /// <summary>The scale-free problem for <paramref name="raw"/>: its gradients g, budgets and
    /// costs, with <see cref="SelectionProblem.Lambda"/> taken as the user's lambda.</summary>
    public static SelectionProblem Apply(SelectionProblem raw)
    {
        int clients = raw.ClientCount;
        double meanMass = Enumerable.Range(0, clients).Sum(i => raw.GradientsOf(i).Sum()) / clients;
        if (!double.IsFinite(meanMass))
            throw new ArgumentException("the gradients sum beyond the range of double", nameof(raw));
        var normalized = Enumerable.Range(0, clients)
            .Select(i => (IReadOnlyList<double>)raw.GradientsOf(i).Select(g => meanMass == 0 ? 0 : g / meanMass).ToArray())
            .ToList();
        return new SelectionProblem(normalized, raw.Budgets, raw.Costs, raw.Lambda / clients);
    }
}
