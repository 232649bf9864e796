namespace FedLayers.Data;

/// <summary>Splits a training set among clients: returns, per client, the indices of its samples.</summary>
public interface IPartitioner
{
    /// <summary>The name it is registered under.</summary>
    string Name { get; }

    /// <summary>
    /// Deals the training samples to <paramref name="clients"/> clients; the same <paramref name="random"/>
    /// state gives the same split. Refuses a client count the data cannot serve with an <see cref="ArgumentException"/>
    /// naming <c>clients</c>.
    /// </summary>
    /// <param name="labels">Per training sample, its class (0 .. <paramref name="numClasses"/> - 1).</param>
    /// <param name="numClasses">The number of classes.</param>
    /// <param name="clients">The number of clients, positive.</param>
    /// <param name="random">The seeded stream the split draws from.</param>
    /// <returns>Per client, the indices of its samples into <paramref name="labels"/> (ascending in the built-in partitioners); no index goes to two clients.</returns>
    int[][] Split(IReadOnlyList<long> labels, int numClasses, int clients, Random random);
}
