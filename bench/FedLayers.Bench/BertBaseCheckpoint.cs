using System.Text.Json.Nodes;
using FedLayers.Models.Bert;
using FedLayers.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Bench;

/// <summary>
/// A BERT-base-size checkpoint in the Hugging Face layout with random weights (issue 18's memory figure): 12 layers of width
/// 768, 30,522 tokens, 108.9 M parameters with BertForSequenceClassification's pooler and classifier, 0.44 GB of float32;
/// config.json, vocab.txt and model.safetensors, loadable with <c>--model hf:FOLDER</c>. No model hub is reachable here, and
/// the figure needs only the size.
/// </summary>
public static class BertBaseCheckpoint
{
    /// <summary>Writes the checkpoint into <paramref name="folder"/> and returns its weight bytes.</summary>
    public static long Write(string folder)
    {
        Directory.CreateDirectory(folder);
        var shape = new BertConfig(HiddenSize: 768, NumHiddenLayers: 12, NumAttentionHeads: 12, IntermediateSize: 3072);
        File.WriteAllText(Path.Combine(folder, "config.json"), new JsonObject
        {
            ["model_type"] = "bert", ["vocab_size"] = shape.VocabSize, ["hidden_size"] = shape.HiddenSize,
            ["num_hidden_layers"] = shape.NumHiddenLayers, ["num_attention_heads"] = shape.NumAttentionHeads,
            ["intermediate_size"] = shape.IntermediateSize, ["max_position_embeddings"] = shape.MaxPositionEmbeddings,
            ["type_vocab_size"] = shape.TypeVocabSize, ["layer_norm_eps"] = shape.LayerNormEps, ["hidden_act"] = shape.HiddenAct,
            ["pad_token_id"] = shape.PadTokenId,
        }.ToJsonString());
        // the special tokens where BERT's vocabulary has them, then lower-case words a text file can use
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"),
            Enumerable.Range(0, shape.VocabSize).Select(id => id switch
            {
                0 => "[PAD]",
                100 => "[UNK]",
                101 => "[CLS]",
                102 => "[SEP]",
                103 => "[MASK]",
                _ => $"w{id}",
            }));
        torch.manual_seed(1);
        using var encoder = new BertModel(shape);
        var file = encoder.state_dict().ToDictionary(e => "bert." + e.Key, e => e.Value.detach());
        file["bert.pooler.dense.weight"] = randn(shape.HiddenSize, shape.HiddenSize) * 0.02;
        file["bert.pooler.dense.bias"] = zeros(shape.HiddenSize);
        file["classifier.weight"] = randn(2, shape.HiddenSize) * 0.02;
        file["classifier.bias"] = zeros(2);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), file);
        return file.Values.Sum(t => t.numel() * t.ElementSize);
    }
}
