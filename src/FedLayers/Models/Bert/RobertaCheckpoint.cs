using FedLayers.Data;
using FedLayers.Weights;

namespace FedLayers.Models.Bert;

/// <summary>
/// A Hugging Face RoBERTa checkpoint folder (<c>model_type: roberta</c>): config.json,
/// model.safetensors and the byte-level BPE vocab.json + merges.txt, as a <see cref="BertClassifier"/>
/// with a new head. RoBERTa is BERT's encoder with other defaults (pad_token_id 1, one token type,
/// layer_norm_eps 1e-5) and position ids counted from pad_token_id + 1 over the real tokens
/// (<see cref="BertConfig.PositionIdsFromPadding"/>). Names saved with a <c>roberta.</c> prefix
/// (RobertaForSequenceClassification, RobertaForMaskedLM) are accepted; the pooler, lm_head and
/// classifier of the checkpoint are left out. XLM-RoBERTa (<c>model_type: xlm-roberta</c>) is the
/// same encoder with a SentencePiece tokenizer (sentencepiece.bpe.model).
/// </summary>
public static class RobertaCheckpoint
{
    /// <summary>The config.json <c>model_type</c> of RoBERTa.</summary>
    public const string ModelType = "roberta";

    /// <summary>XLM-RoBERTa: the same encoder and tensor names, a SentencePiece tokenizer.</summary>
    public const string XlmModelType = "xlm-roberta";

    /// <summary>XLM-RoBERTa's SentencePiece model file.</summary>
    public const string SentencePieceFileName = "sentencepiece.bpe.model";

    /// <summary>RoBERTa's byte-level BPE vocabulary: token to id.</summary>
    public const string VocabFileName = "vocab.json";

    /// <summary>RoBERTa's BPE merges, one "a b" a line by priority.</summary>
    public const string MergesFileName = "merges.txt";

    /// <summary>The checkpoint's encoder (RoBERTa or XLM-RoBERTa) with its weights loaded and a new head for <paramref name="numClasses"/> classes.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="config">Its config.json, already read.</param>
    /// <param name="numClasses">The number of classes of the new head, at least 2.</param>
    /// <param name="maxSeqLen">The sequence length FLOPs are counted for; at most the model's positions.</param>
    /// <exception cref="UserInputException">The config or the weights do not describe an encoder this class can load.</exception>
    public static BertClassifier Load(string folder, HuggingFaceConfig config, int numClasses, int maxSeqLen)
    {
        var shape = ReadConfig(config, maxSeqLen);
        return HuggingFaceCheckpoint.Load(folder, config, _ => new BertClassifier(shape, numClasses, maxSeqLen), Names.Map);
    }

    /// <summary>The checkpoint's byte-level BPE tokenizer, checked against config.json's pad id and vocabulary size.</summary>
    public static ITextEncoder CreateTextEncoder(string folder, HuggingFaceConfig config, int maxSeqLen)
    {
        var shape = ReadConfig(config, maxSeqLen);
        if (config.ModelType == XlmModelType)
        {
            string modelPath = Path.Combine(folder, SentencePieceFileName);
            var spm = SentencePieceTextEncoder.FromFile(modelPath, maxSeqLen);
            TokenizerFit.Require(modelPath, "<pad>", SentencePieceTextEncoder.PadId, spm.VocabSize, shape, config.FilePath);
            return spm;
        }
        var tokenizerConfig = HuggingFaceConfig.ReadIfExists(Path.Combine(folder, BertCheckpoint.TokenizerConfigFileName));
        if (tokenizerConfig is not null && tokenizerConfig.GetBool("add_prefix_space", false))
            throw tokenizerConfig.InvalidField("add_prefix_space", "is true; only RoBERTa's default (no prefix space) is supported");
        string vocabPath = Path.Combine(folder, VocabFileName);
        var encoder = File.Exists(vocabPath) || !File.Exists(Path.Combine(folder, TokenizerJson.FileName))
            ? ByteLevelBpeTextEncoder.FromFiles(vocabPath, Path.Combine(folder, MergesFileName), maxSeqLen)
            : FromTokenizerJson(Path.Combine(folder, TokenizerJson.FileName), maxSeqLen, out vocabPath);
        TokenizerFit.Require(vocabPath, "<pad>", encoder.PadId, encoder.VocabSize, shape, config.FilePath);
        return encoder;
    }

    /// <summary>A checkpoint with only tokenizer.json: its BPE vocabulary and merges, through temporary files.</summary>
    private static ByteLevelBpeTextEncoder FromTokenizerJson(string path, int maxSeqLen, out string source)
    {
        source = path;
        var scratch = Directory.CreateTempSubdirectory("fedlayers-bpe-");
        try
        {
            var (vocab, merges) = TokenizerJson.Read(path).WriteBpeFiles(scratch.FullName);
            return ByteLevelBpeTextEncoder.FromFiles(vocab, merges, maxSeqLen);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static BertConfig ReadConfig(HuggingFaceConfig config, int maxSeqLen)
    {
        var shape = BertCheckpoint.ReadConfig(config, robertaFamily: true);
        if (maxSeqLen > shape.MaxSequenceLength)
            throw new ArgumentOutOfRangeException(nameof(maxSeqLen),
                $"{maxSeqLen}: {config.FilePath} allows at most {shape.MaxSequenceLength} tokens " +
                $"(max_position_embeddings {shape.MaxPositionEmbeddings} minus the {shape.PositionOffset} positions before the first token)");
        return shape;
    }

    private static readonly CheckpointTensorNames Names =
        new("roberta.", ["pooler.", "lm_head.", "classifier."], ["embeddings.position_ids", "embeddings.token_type_ids"]);
}
