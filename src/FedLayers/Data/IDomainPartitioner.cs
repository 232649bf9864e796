namespace FedLayers.Data;

/// <summary>
/// A partitioner that needs each sample's domain (a source or a language) as well as its label.
/// Its plain <see cref="IPartitioner.Split"/> is for datasets without domains, and refuses them.
/// </summary>
public interface IDomainPartitioner : IPartitioner
{
    /// <summary>As <see cref="IPartitioner.Split"/>, deciding by each sample's domain as well as its label.</summary>
    /// <param name="labels">Per training sample, its class (0 .. <paramref name="numClasses"/> - 1).</param>
    /// <param name="domains">per training sample, its domain (the dataset's <see cref="TextCorpus.Domains"/>).</param>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="clients">The number of clients, positive.</param>
    /// <param name="random">The seeded stream the split draws from.</param>
    /// <returns>Per client, the indices of its samples into <paramref name="labels"/>.</returns>
    int[][] Split(IReadOnlyList<long> labels, IReadOnlyList<string?> domains, int numClasses, int clients, Random random);
}
