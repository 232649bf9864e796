namespace FedLayers.TrainingBench;

/// <summary>
/// Runs several measurements in turn, repeat after repeat, so that a change in the machine's
/// load (it is shared) falls on all of them alike; a ratio is then taken within each repeat and
/// the median over repeats reported.
/// </summary>
public sealed class Interleaved(IReadOnlyDictionary<string, Func<double>> measurements, int repeats)
{
    /// <summary>Every measurement once unrecorded (first-call allocations, kernel selection), then the repeats.</summary>
    public Interleaved Run()
    {
        foreach (var measure in measurements.Values) measure();
        for (int r = 0; r < repeats; r++)
            Repeats.Add(measurements.ToDictionary(m => m.Key, m => m.Value()));
        return this;
    }

    public List<Dictionary<string, double>> Repeats { get; } = [];

    public double Median(string name) => Statistics.Median(Repeats.Select(r => r[name]).ToList());

    /// <summary>The median over repeats of <paramref name="of"/> computed within each repeat.</summary>
    public double Median(Func<Dictionary<string, double>, double> of) => Statistics.Median(Repeats.Select(of).ToList());
}
