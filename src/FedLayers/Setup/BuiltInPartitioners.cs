using FedLayers.Data;

namespace FedLayers.Setup;

/// <summary>FedLayers' own ways of splitting the training data among clients.</summary>
public static class BuiltInPartitioners
{
    /// <summary>--alpha: the Dirichlet concentration of the dirichlet partition; smaller is more skewed.</summary>
    public static readonly Setting<double> Alpha = Setting.Number("alpha", 0.5, "Dirichlet concentration; smaller is more skewed.");
    /// <summary>--min-samples-per-client: the fewest samples a skewed partition may give a client; --max-samples-per-client may not go below it.</summary>
    public static readonly Setting<int> MinSamplesPerClient = Setting.Int("min-samples-per-client", 10,
        "A partition must give every client at least this many samples.", min: 1);

    /// <summary>Adds FedLayers' partitions to <paramref name="partitioners"/>, e.g. to an empty <see cref="Registries"/>' registry.</summary>
    /// <exception cref="ArgumentException">one of their names is registered already.</exception>
    public static void AddTo(Registry<PartitionerEntry> partitioners) => partitioners
        .Add(new("iid", "Every client draws the same mix of classes.", _ => new IidPartitioner()))
        .Add(new("dirichlet", "Label skew: each class's shares of the clients drawn from Dirichlet(alpha).",
            config => new DirichletPartitioner(config.Get(Alpha), config.Get(MinSamplesPerClient)))
        {
            Settings = [Alpha, MinSamplesPerClient],
        })
        .Add(new("domain", "Each client holds one domain (source, language, image style) of the data.",
            config => new DomainPartitioner(config.Get(MinSamplesPerClient)))
        {
            Settings = [MinSamplesPerClient],
        })
        .Add(new("source", "Each client holds one source per class, as organisations with their own data would.",
            config => new SourcePartitioner(config.Get(MinSamplesPerClient)))
        {
            Settings = [MinSamplesPerClient],
        });
}
