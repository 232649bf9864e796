namespace FedLayers.Data;

/// <summary>The partitions <c>--partition</c> can name.</summary>
public static class PartitionerCatalog
{
    public static readonly IReadOnlyList<string> Names = ["iid", "dirichlet", "domain", "source"];

    public static IPartitioner Create(string name, double alpha, int minSamplesPerClient) => name switch
    {
        "iid" => new IidPartitioner(),
        "dirichlet" => new DirichletPartitioner(alpha, minSamplesPerClient),
        "domain" => new DomainPartitioner(minSamplesPerClient),
        "source" => new SourcePartitioner(minSamplesPerClient),
        _ => throw new UserInputException($"--partition: unknown partition '{name}'; expected one of {string.Join(", ", Names)}"),
    };
}
