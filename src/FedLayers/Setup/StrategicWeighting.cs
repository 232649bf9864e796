using FedLayers.Selection;

namespace FedLayers.Setup;

/// <summary>How strategic weights each client's gradient mass in its objective (<see cref="BuiltInStrategies.StrategicWeights"/>,
/// <see cref="StrategicSelector"/>).</summary>
public enum StrategicWeighting
{
    /// <summary>Every client alike: the paper's objective.</summary>
    Equal,

    /// <summary>By its sample count over the sampled clients' mean, capped as in the aggregation.</summary>
    Samples,
}
