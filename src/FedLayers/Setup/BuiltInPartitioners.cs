using FedLayers.Data;

namespace FedLayers.Setup;

/// <summary>FedLayers' own ways of splitting the training data among clients.</summary>
public static class BuiltInPartitioners
{
    public static readonly Setting<double> Alpha = Setting.Number("alpha", 0.5, "Dirichlet concentration; smaller is more skewed.");
    public static readonly Setting<int> MinSamplesPerClient = Setting.Int("min-samples-per-client", 10,
        "A partition must give every client at least this many samples.", min: 1);

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
