namespace FedLayers.Models.Bert;

/// <summary>
/// The shape of a BERT encoder, with the fields (and meanings) of a Hugging Face BertConfig
/// (config.json keys in brackets). The defaults are all-MiniLM-L6-v2: a 6-layer BERT of width
/// 384 with 12 heads over the bert-base-uncased vocabulary.
/// </summary>
/// <param name="VocabSize">[vocab_size] rows of the word embedding.</param>
/// <param name="HiddenSize">[hidden_size] width of every token representation.</param>
/// <param name="NumHiddenLayers">[num_hidden_layers] encoder layers.</param>
/// <param name="NumAttentionHeads">[num_attention_heads] must divide <paramref name="HiddenSize"/>.</param>
/// <param name="IntermediateSize">[intermediate_size] width of the feed-forward layer.</param>
/// <param name="MaxPositionEmbeddings">[max_position_embeddings] longest sequence the model can read.</param>
/// <param name="TypeVocabSize">[type_vocab_size] segment (token type) embeddings.</param>
/// <param name="LayerNormEps">[layer_norm_eps]</param>
/// <param name="HiddenAct">[hidden_act] "gelu" (exact, erf) as BERT uses; "gelu_new" and
/// "gelu_pytorch_tanh" (tanh approximation) are accepted too.</param>
/// <param name="HiddenDropoutProb">[hidden_dropout_prob] dropout after embeddings and sublayers, in training mode only.</param>
/// <param name="AttentionProbsDropoutProb">[attention_probs_dropout_prob] dropout on attention weights, in training mode only.</param>
/// <param name="PadTokenId">[pad_token_id] the id that marks padding (0, "[PAD]", in the BERT uncased vocabulary).</param>
/// <param name="PositionIdsFromPadding">false for BERT (positions 0..T-1). True for the RoBERTa family
/// (roberta, xlm-roberta): as Hugging Face's create_position_ids_from_input_ids, a real token's
/// position is PadTokenId + its 1-based count among the row's real tokens, and padding takes
/// position PadTokenId (its embedding row is the padding row).</param>
public sealed record BertConfig(
    int VocabSize = 30522,
    int HiddenSize = 384,
    int NumHiddenLayers = 6,
    int NumAttentionHeads = 12,
    int IntermediateSize = 1536,
    int MaxPositionEmbeddings = 512,
    int TypeVocabSize = 2,
    double LayerNormEps = 1e-12,
    string HiddenAct = "gelu",
    double HiddenDropoutProb = 0.1,
    double AttentionProbsDropoutProb = 0.1,
    int PadTokenId = 0,
    bool PositionIdsFromPadding = false)
{
    /// <summary>sentence-transformers/all-MiniLM-L6-v2 (the config.json of that checkpoint).</summary>
    public static BertConfig MiniLmL6 { get; } = new();

    /// <summary>The position id of the first token: 0 for BERT, PadTokenId + 1 for the RoBERTa family.</summary>
    public int PositionOffset => PositionIdsFromPadding ? PadTokenId + 1 : 0;

    /// <summary>The longest sequence the position embeddings cover.</summary>
    public int MaxSequenceLength => MaxPositionEmbeddings - PositionOffset;

    /// <summary>Width of one attention head.</summary>
    public int HeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>Throws a <see cref="UserInputException"/> naming <paramref name="source"/> and the
    /// config.json key of the first field that cannot describe a BERT encoder.</summary>
    public void Validate(string source)
    {
        void Positive(string key, double value)
        {
            if (!(value > 0)) throw new UserInputException($"{source}: {key} must be positive, got {value}");
        }
        void Probability(string key, double value)
        {
            if (!(value >= 0 && value < 1)) throw new UserInputException($"{source}: {key} must be in [0, 1), got {value}");
        }
        Positive("vocab_size", VocabSize);
        Positive("hidden_size", HiddenSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("intermediate_size", IntermediateSize);
        Positive("max_position_embeddings", MaxPositionEmbeddings);
        Positive("type_vocab_size", TypeVocabSize);
        Positive("layer_norm_eps", LayerNormEps);
        Probability("hidden_dropout_prob", HiddenDropoutProb);
        Probability("attention_probs_dropout_prob", AttentionProbsDropoutProb);
        if (HiddenSize % NumAttentionHeads != 0)
            throw new UserInputException($"{source}: hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        if (PadTokenId < 0 || PadTokenId >= VocabSize)
            throw new UserInputException($"{source}: pad_token_id {PadTokenId} is outside the vocabulary [0, {VocabSize})");
        if (MaxSequenceLength < 1)
            throw new UserInputException($"{source}: max_position_embeddings {MaxPositionEmbeddings} leaves no position after the {PositionOffset} that pad_token_id {PadTokenId} reserves");
        if (!SupportedActivations.Contains(HiddenAct))
            throw new UserInputException($"{source}: hidden_act '{HiddenAct}' is not supported; expected one of {string.Join(", ", SupportedActivations)}");
    }

    internal static readonly IReadOnlyList<string> SupportedActivations = ["gelu", "gelu_new", "gelu_pytorch_tanh"];
}
