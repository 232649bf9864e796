using System.Security.Cryptography;
using FedLayers.Models;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>
/// SHA-256 digests of the layer groups of one model state, each over the bytes of the group's tensors in order, made
/// on first use: whether a group's weights (and batch-norm statistics) are bitwise what they were when a kept
/// activation was computed, without keeping a copy of them.
/// </summary>
/// <param name="state">the weights the digests are of; not changed while this is in use.</param>
/// <param name="groups">the model's groups, input to output.</param>
internal sealed class GroupDigests(ModelState state, IReadOnlyList<LayerGroup> groups)
{
    private readonly byte[]?[] digests = new byte[groups.Count][];

    /// <summary>The digests of groups [0, <paramref name="endGroup"/>), in order.</summary>
    public byte[][] Below(int endGroup) => [.. Enumerable.Range(0, endGroup).Select(Of)];

    /// <summary>Whether groups [0, recorded.Length) have the digests <paramref name="recorded"/>.</summary>
    public bool Match(byte[][] recorded) => recorded.Select((digest, g) => Of(g).AsSpan().SequenceEqual(digest)).All(same => same);

    private byte[] Of(int group) => digests[group] ??= Digest(groups[group]);

    private byte[] Digest(LayerGroup group)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in group.TensorNames)
        {
            using var onCpu = state[name].cpu();
            using var packed = onCpu.contiguous();
            hash.AppendData(packed.bytes);
        }
        return hash.GetHashAndReset();
    }
}
