using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>
/// The framing every text encoder shares: a start token, the text's pieces truncated so the row
/// fits, an end token; rows padded to one length and stacked into an int64 tensor.
/// </summary>
public static class TokenRows
{
    /// <summary>One row of ids: <paramref name="startId"/>, the pieces of <paramref name="text"/>, <paramref name="endId"/>; at most <paramref name="maxSeqLen"/> ids.</summary>
    /// <param name="text">The text to encode.</param>
    /// <param name="maxSeqLen">The row's length limit, start and end tokens included.</param>
    /// <param name="startId">The id put first (e.g. [CLS] or &lt;s&gt;).</param>
    /// <param name="endId">The id put last (e.g. [SEP] or &lt;/s&gt;).</param>
    /// <param name="pieces">the text's piece ids, at most the given count.</param>
    public static IReadOnlyList<int> Frame(string text, int maxSeqLen, int startId, int endId, Func<string, int, IReadOnlyList<int>> pieces)
    {
        var ids = new List<int>(maxSeqLen) { startId };
        ids.AddRange(pieces(text, maxSeqLen - 2));
        ids.Add(endId);
        return ids;
    }

    /// <summary>Token ids [texts, <paramref name="maxSeqLen"/>] (int64, on the CPU), padded with <paramref name="padId"/>.</summary>
    public static Tensor Pack(IReadOnlyList<string> texts, int maxSeqLen, int padId, Func<string, IReadOnlyList<int>> frame)
    {
        var data = new long[(long)texts.Count * maxSeqLen];
        if (padId != 0) Array.Fill(data, padId);
        for (int row = 0; row < texts.Count; row++)
        {
            var ids = frame(texts[row]);
            for (int k = 0; k < ids.Count; k++) data[(long)row * maxSeqLen + k] = ids[k];
        }
        return tensor(data, [texts.Count, maxSeqLen]);
    }
}
