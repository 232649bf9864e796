using FedLayers.Data;
using FedLayers.Models;
using static TorchSharp.torch;

namespace FedLayers.Tests.Models;

public class CachedTextEncoderTests
{
    /// <summary>Encodes each text as its length and counts how often it is asked.</summary>
    private sealed class CountingEncoder : ITextEncoder
    {
        public int Calls { get; private set; }

        public Tensor Encode(IReadOnlyList<string> texts)
        {
            Calls++;
            return tensor(texts.Select(t => (long)t.Length).ToArray()).view(-1, 1);
        }
    }

    [Fact]
    public void TheSecondEncodingIsReadFromDiskAndADamagedEntryIsRedone()
    {
        using var cache = new TempDataCache();
        var inner = new CountingEncoder();
        var cached = new CachedTextEncoder(inner, "counting:v1");
        string[] texts = ["a", "bbb", "cc"];
        Assert.Equal([1L, 3, 2], cached.Encode(texts).data<long>().ToArray());
        Assert.Equal([1L, 3, 2], cached.Encode(texts).data<long>().ToArray());
        Assert.Equal(1, inner.Calls);

        new CachedTextEncoder(inner, "counting:v2").Encode(texts); // another tokenizer identity: another key
        cached.Encode(["a", "bbb"]);                             // other texts: another key
        Assert.Equal(3, inner.Calls);

        var entries = Directory.GetFiles(cache.Path("tokens"));
        Assert.Equal(3, entries.Length);
        Assert.Empty(Directory.GetFiles(cache.Path("tokens"), "*.tmp"));
        foreach (var entry in entries) File.WriteAllBytes(entry, [1, 2, 3]);
        Assert.Equal([1L, 3, 2], cached.Encode(texts).data<long>().ToArray());
        Assert.Equal(4, inner.Calls);
    }
}
