using FedLayers.Models;

namespace FedLayers.Federation;

/// <summary>
/// One client's frozen-prefix outputs kept after its local training for a later round: the output of groups
/// [0, <see cref="Boundary"/>) for each of <see cref="Samples"/>, with the digests of those groups' weights that
/// computed them. Valid in a later round only while the global weights of those groups have the same digests.
/// </summary>
/// <param name="Boundary">the end of the prefix the rows are the output of.</param>
/// <param name="Digests">per group below <see cref="Boundary"/>, the SHA-256 of its tensors' bytes when the rows were computed.</param>
/// <param name="Samples">per sample index, its row in <see cref="Rows"/>.</param>
/// <param name="Rows">the outputs, one row per sample; owned by this entry.</param>
internal sealed record CarriedPrefix(int Boundary, byte[][] Digests, IReadOnlyDictionary<int, int> Samples, GroupActivation Rows) : IDisposable
{
    /// <summary>The bytes the rows take.</summary>
    public long Bytes => Rows.Tensors.Sum(t => t.numel() * t.ElementSize);

    /// <summary>Frees the rows.</summary>
    public void Dispose()
    {
        foreach (var tensor in Rows.Tensors) tensor.Dispose();
    }
}
