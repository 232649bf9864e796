using FedLayers.Validation;

namespace FedLayers.Comparison;

/// <summary>How a comparison's runs are summarised; none of it changes a run, so it may change between invocations.</summary>
/// <param name="TargetAccuracy">the accuracy in (0, 1] "rounds to target" counts to; null: 90 % of the best accuracy any run reached.</param>
/// <param name="EndpointRounds">the endpoint is a run's mean test accuracy over its last this many rounds (at least 1), steadier
/// than the last round alone.</param>
/// <param name="Reference">the strategy every other is compared with seed by seed; null: top when it is compared, else the first.</param>
public sealed record ComparisonReportOptions(double? TargetAccuracy = null, int EndpointRounds = 5, string? Reference = null)
{
    /// <summary>The default target, as a share of the best accuracy reached.</summary>
    public const double DefaultTargetShare = 0.9;

    /// <summary>The rounds the endpoint averages, at least 1.</summary>
    public int EndpointRounds { get; } = FieldCheck.AtLeast(EndpointRounds, 1, nameof(EndpointRounds));

    /// <summary>The reference among <paramref name="strategies"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="Reference"/> is not one of them.</exception>
    public string ReferenceAmong(IReadOnlyList<string> strategies) =>
        Reference is null ? (strategies.Contains("top") ? "top" : strategies[0])
        : strategies.Contains(Reference) ? Reference
        : throw new ArgumentException($"'{Reference}' is not among the compared strategies ({string.Join(", ", strategies)})", nameof(Reference));
}
