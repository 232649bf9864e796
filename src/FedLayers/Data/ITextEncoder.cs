using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>A tokenizer as a text model needs it: texts in, a [N, sequence length] tensor of token ids out.</summary>
public interface ITextEncoder
{
    /// <summary>Tokenises <paramref name="texts"/> into a new int64 CPU tensor [texts, sequence length], padded or cut to one length; the caller disposes it.</summary>
    Tensor Encode(IReadOnlyList<string> texts);
}
