namespace FedLayers.Comparison;

/// <summary>The mean of a few values (one per seed) and their sample standard deviation (0 for one value).</summary>
/// <param name="Mean">The mean; NaN when there are no values.</param>
/// <param name="StandardDeviation">The sample standard deviation (n - 1); 0 for one value, NaN for none.</param>
/// <param name="Count">The number of values.</param>
public sealed record MeanAndSpread(double Mean, double StandardDeviation, int Count)
{
    /// <summary>The mean and spread of <paramref name="values"/>, which may be empty.</summary>
    public static MeanAndSpread Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return new MeanAndSpread(double.NaN, double.NaN, 0);
        double mean = values.Average();
        double variance = values.Count < 2 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new MeanAndSpread(mean, Math.Sqrt(variance), values.Count);
    }
}
