using FedLayers.Aggregation;

namespace FedLayers.Setup;

/// <summary>What a client's update counts for in a layer's weighted mean (<see cref="RunSettings.Weighting"/>,
/// <see cref="ClientWeighting.BySamples"/>).</summary>
public enum UpdateWeighting
{
    /// <summary>Its sample count, as FedAvg.</summary>
    Samples,

    /// <summary>The same for every client.</summary>
    Uniform,
}
