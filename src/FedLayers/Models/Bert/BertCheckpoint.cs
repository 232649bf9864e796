using FedLayers.Data;
using FedLayers.Weights;

namespace FedLayers.Models.Bert;

/// <summary>
/// A Hugging Face BERT checkpoint folder (<c>model_type: bert</c>): config.json, model.safetensors
/// and the WordPiece vocab.txt, as a <see cref="BertClassifier"/> with a new head. Names saved
/// with a <c>bert.</c> prefix (BertForSequenceClassification and the like) are accepted; the
/// pooler and any task head of the checkpoint are left out.
/// </summary>
public static class BertCheckpoint
{
    /// <summary>The config.json <c>model_type</c> this reader serves.</summary>
    public const string ModelType = "bert";

    /// <summary>The WordPiece vocabulary file, one token per line (line index = id).</summary>
    public const string VocabFileName = "vocab.txt";

    /// <summary>The tokenizer settings file; its <c>do_lower_case</c> is checked.</summary>
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    /// <summary>The checkpoint's encoder with its weights loaded and a new head for <paramref name="numClasses"/> classes.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="config">Its config.json, already read.</param>
    /// <param name="numClasses">The number of classes of the new head, at least 2.</param>
    /// <param name="maxSeqLen">The sequence length FLOPs are counted for (<see cref="BertClassifier.MaxSeqLen"/>).</param>
    /// <exception cref="UserInputException">The config or the weights do not describe a BERT encoder this class can load.</exception>
    public static BertClassifier Load(string folder, HuggingFaceConfig config, int numClasses, int maxSeqLen)
    {
        var bert = ReadConfig(config);
        return HuggingFaceCheckpoint.Load(folder, config, _ => new BertClassifier(bert, numClasses, maxSeqLen), Names.Map);
    }

    /// <summary>The checkpoint's tokenizer; only lower-casing (uncased) vocabularies are supported, as FedLayers' BERT normaliser lower-cases.</summary>
    public static WordPieceTextEncoder CreateTextEncoder(string folder, HuggingFaceConfig config, int maxSeqLen)
    {
        var tokenizerConfig = HuggingFaceConfig.ReadIfExists(Path.Combine(folder, TokenizerConfigFileName));
        if (tokenizerConfig is not null && !tokenizerConfig.GetBool("do_lower_case", true))
            throw tokenizerConfig.InvalidField("do_lower_case", "is false; only uncased (lower-casing) BERT vocabularies are supported");
        var vocabPath = Path.Combine(folder, VocabFileName);
        var tokenizerJsonPath = Path.Combine(folder, TokenizerJson.FileName);
        if (!File.Exists(vocabPath) && File.Exists(tokenizerJsonPath))
            vocabPath = tokenizerJsonPath;
        else if (!File.Exists(vocabPath))
            throw new UserInputException($"{vocabPath}: file not found (a BERT checkpoint needs its WordPiece vocabulary, in vocab.txt or {TokenizerJson.FileName})");
        using var vocab = vocabPath == tokenizerJsonPath ? TokenizerJson.Read(tokenizerJsonPath).VocabTxt() : File.OpenRead(vocabPath);
        var encoder = WordPieceTextEncoder.FromVocab(vocab, vocabPath, maxSeqLen);
        TokenizerFit.Require(vocabPath, "[PAD]", encoder.PadId, encoder.VocabSize, ReadConfig(config), config.FilePath);
        return encoder;
    }

    /// <summary>The encoder shape in <paramref name="c"/>, validated.</summary>
    /// <param name="c">A BERT-family config.json.</param>
    /// <param name="robertaFamily">roberta / xlm-roberta: their defaults (pad 1, one token type, eps 1e-5) and position ids counted from the pad id.</param>
    internal static BertConfig ReadConfig(HuggingFaceConfig c, bool robertaFamily = false)
    {
        var bert = new BertConfig(
            VocabSize: c.GetInt("vocab_size"),
            HiddenSize: c.GetInt("hidden_size"),
            NumHiddenLayers: c.GetInt("num_hidden_layers"),
            NumAttentionHeads: c.GetInt("num_attention_heads"),
            IntermediateSize: c.GetInt("intermediate_size"),
            MaxPositionEmbeddings: c.GetInt("max_position_embeddings"),
            TypeVocabSize: c.GetInt("type_vocab_size", robertaFamily ? 1 : 2),
            LayerNormEps: c.GetDouble("layer_norm_eps", robertaFamily ? 1e-5 : 1e-12),
            HiddenAct: c.GetString("hidden_act", "gelu"),
            HiddenDropoutProb: c.GetDouble("hidden_dropout_prob", 0.1),
            // as for minilm: attention dropout would take the fused attention kernel away (see MiniLm.Config)
            AttentionProbsDropoutProb: 0,
            PadTokenId: c.GetInt("pad_token_id", robertaFamily ? 1 : 0),
            PositionIdsFromPadding: robertaFamily);
        bert.Validate(c.FilePath);
        return bert;
    }

    private static readonly CheckpointTensorNames Names = new("bert.", ["pooler.", "cls.", "classifier."], ["embeddings.position_ids"]);
}
