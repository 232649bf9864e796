using static TorchSharp.torch;

namespace FedLayers.Data;

/// <summary>A tokenizer as a text model needs it: texts in, a [N, sequence length] tensor of token ids out.</summary>
public interface ITextEncoder
{
    Tensor Encode(IReadOnlyList<string> texts);
}
