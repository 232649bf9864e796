using System.Globalization;

namespace FedLayers.Comparison;

/// <summary>The mean of a few values (one per seed) and their sample standard deviation (0 for one value).</summary>
/// <param name="Mean">The mean; null when there are no values (results.json then says null, as plain JSON can).</param>
/// <param name="StandardDeviation">The sample standard deviation (n - 1); 0 for one value, null for none.</param>
/// <param name="Count">The number of values.</param>
public sealed record MeanAndSpread(double? Mean, double? StandardDeviation, int Count)
{
    /// <summary>The mean and spread of <paramref name="values"/>, which may be empty.</summary>
    public static MeanAndSpread Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) return new MeanAndSpread(null, null, 0);
        double mean = values.Average();
        double variance = values.Count < 2 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new MeanAndSpread(mean, Math.Sqrt(variance), values.Count);
    }

    /// <summary>"mean ± standard deviation", both times <paramref name="factor"/> with one decimal; "-" when there are no values.</summary>
    public string Format(double factor = 1) =>
        Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{Mean * factor:0.0} ± {StandardDeviation * factor:0.0}");
}
