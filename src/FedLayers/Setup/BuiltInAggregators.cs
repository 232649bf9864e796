using FedLayers.Aggregation;

namespace FedLayers.Setup;

/// <summary>FedLayers' own ways of combining a layer's client updates, with the settings each reads.</summary>
public static class BuiltInAggregators
{
    /// <summary>--trim-fraction: the share trimmed-mean drops at each end.</summary>
    public static readonly Setting<double> TrimFraction = Setting.Number("trim-fraction", 0.2,
        "Share of a layer's clients dropped at each end, per coordinate, in [0, 0.5); floor(fraction x clients) are dropped.",
        min: 0, max: 0.5, maxExclusive: true);

    /// <summary>Adds mean, trimmed-mean and median.</summary>
    public static void AddTo(Registry<ChoiceEntry<ILayerAggregator>> aggregators) => aggregators
        .Add(new("mean", "The weighted mean (FedAvg); one client can move it anywhere.", _ => new MeanAggregator()))
        .Add(new("trimmed-mean", "Per coordinate, the mean after dropping the largest and smallest values; tolerates floor(fraction x clients) bad clients.",
            config => new TrimmedMeanAggregator(config.Get(TrimFraction)))
        {
            Settings = [TrimFraction],
        })
        .Add(new("median", "Per coordinate, the median; tolerates fewer than half the layer's clients being bad (none with 1 or 2).",
            _ => new MedianAggregator()));
}
