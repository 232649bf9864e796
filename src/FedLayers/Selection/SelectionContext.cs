namespace FedLayers.Selection;

/// <summary>
/// Everything a strategy may look at to choose masks for one round. Index i runs over the
/// sampled clients (<see cref="ClientIds"/>), index l over the selectable layers.
/// </summary>
/// <param name="Round">1-based round number.</param>
/// <param name="ClientIds">the sampled clients, in the order the masks are returned.</param>
/// <param name="Budgets">R_i: the most summed layer cost client i may train.</param>
/// <param name="LayerCosts">c_l per selectable layer in the run's cost unit: 1 each for layers, else the parameter count or forward FLOPs.</param>
/// <param name="PreviousMasks">the last mask each client was given, by client id (absent if never sampled).</param>
/// <param name="Probe">gradient statistics per sampled client; computed on first call only, so
/// strategies that do not call it cost the clients nothing.</param>
public sealed record SelectionContext(
    int Round,
    IReadOnlyList<int> ClientIds,
    IReadOnlyList<double> Budgets,
    IReadOnlyList<double> LayerCosts,
    IReadOnlyDictionary<int, bool[]> PreviousMasks,
    Func<IReadOnlyList<LayerProbe>> Probe)
{
    /// <summary>n_i: each sampled client's number of training samples as the server knows it, in the order of
    /// <see cref="ClientIds"/> (in a simulation its shard's size, in a deployment the count it declared on joining); empty when the
    /// caller does not know them. Strategies that weight clients by their data read it.</summary>
    public IReadOnlyList<int> SampleCounts { get; init; } = [];

    /// <summary>The number of sampled clients (masks to return).</summary>
    public int ClientCount => ClientIds.Count;

    /// <summary>The number of selectable layers (entries per mask).</summary>
    public int LayerCount => LayerCosts.Count;
}
