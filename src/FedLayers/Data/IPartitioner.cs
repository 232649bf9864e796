namespace FedLayers.Data;

/// <summary>Splits a training set among clients: returns, per client, the indices of its samples.</summary>
public interface IPartitioner
{
    /// <summary>The name it is registered under.</summary>
    string Name { get; }

    int[][] Split(IReadOnlyList<long> labels, int numClasses, int clients, Random random);
}
