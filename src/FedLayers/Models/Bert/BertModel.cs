using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// A BERT encoder whose module and parameter names are those of Hugging Face BertModel
/// (<c>embeddings.*</c>, <c>encoder.layer.{i}.*</c>), without the pooler: token ids and an
/// attention mask in, the last hidden state out. Load weights with <see cref="BertWeights.Load"/>.
/// </summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;

    /// <summary>Sized by <paramref name="config"/>, with TorchSharp's default initialisation.</summary>
    /// <exception cref="UserInputException"><paramref name="config"/> is invalid (<see cref="BertConfig.Validate"/>).</exception>
    public BertModel(BertConfig config) : base("bert")
    {
        config.Validate("BertConfig");
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        RegisterComponents();
    }

    /// <summary>The shape the model was built with.</summary>
    public BertConfig Config { get; }

    /// <param name="inputIds">token ids [B, T], int64.</param>
    /// <param name="attentionMask">[B, T], nonzero for real tokens, zero for padding.</param>
    /// <returns>the last hidden state [B, T, H].</returns>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        return encoder.forward(embeddings.forward(inputIds), attentionMask).MoveToOuterDisposeScope();
    }
}
