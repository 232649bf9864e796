namespace FedLayers.Data;

/// <summary>
/// A partitioner that needs each sample's domain (a source or a language) as well as its label.
/// Its plain <see cref="IPartitioner.Split"/> is for datasets without domains, and refuses them.
/// </summary>
public interface IDomainPartitioner : IPartitioner
{
    /// <param name="domains">per training sample, its domain (the dataset's <see cref="TextCorpus.Domains"/>).</param>
    int[][] Split(IReadOnlyList<long> labels, IReadOnlyList<string?> domains, int numClasses, int clients, Random random);
}
