using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// Word + position + token type embeddings, then LayerNorm and dropout (Hugging Face
/// BertEmbeddings). Every sequence is one segment, so token type 0 is added to every token;
/// positions are 0..T-1, or for the RoBERTa family (<see cref="BertConfig.PositionIdsFromPadding"/>)
/// counted over the real tokens from pad + 1, with padding at position pad (Hugging Face RobertaEmbeddings).
/// </summary>
public sealed class BertEmbeddings : nn.Module<Tensor, Tensor>
{
    // field names are the Hugging Face parameter names: embeddings.word_embeddings.weight, ...
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly int maxPositions;
    private readonly bool positionsFromPadding;
    private readonly int padTokenId;

    /// <summary>Sized by <paramref name="config"/>, with TorchSharp's default initialisation (load trained weights by name).</summary>
    public BertEmbeddings(BertConfig config) : base("embeddings")
    {
        maxPositions = config.MaxSequenceLength;
        positionsFromPadding = config.PositionIdsFromPadding;
        padTokenId = config.PadTokenId;
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="inputIds">token ids [B, T], int64.</param>
    /// <returns>[B, T, H]</returns>
    public override Tensor forward(Tensor inputIds)
    {
        long tokens = inputIds.shape[1];
        if (tokens > maxPositions)
            throw new ArgumentException($"sequence length {tokens} exceeds the {maxPositions} position embeddings of this model");
        using var scope = NewDisposeScope();
        var positions = positionsFromPadding ? PositionIds(inputIds, padTokenId) : arange(tokens, int64, inputIds.device).unsqueeze(0);
        var tokenTypes = zeros_like(inputIds);
        var x = word_embeddings.forward(inputIds) + token_type_embeddings.forward(tokenTypes) + position_embeddings.forward(positions);
        return dropout.forward(LayerNorm.forward(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Hugging Face's create_position_ids_from_input_ids: for each real token (id != <paramref name="padTokenId"/>),
    /// pad + its 1-based count among the real tokens of its row; pad for padding. [B, T] int64.</summary>
    public static Tensor PositionIds(Tensor inputIds, int padTokenId)
    {
        using var scope = NewDisposeScope();
        var mask = inputIds.ne(padTokenId).to_type(int64);
        return (mask.cumsum(1) * mask + padTokenId).MoveToOuterDisposeScope();
    }
}
