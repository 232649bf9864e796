using FedLayers.Weights.Onnx;
using static TorchSharp.torch;

namespace FedLayers.Models.ResNet;

/// <summary>What <see cref="ResNetOnnxImporter"/> found: torchvision-named tensors and the network's shape.</summary>
/// <param name="Tensors">The weights and batch-norm statistics by torchvision name, new CPU tensors the caller disposes.</param>
/// <param name="BlocksPerStage">Basic blocks in each of the four stages.</param>
/// <param name="StemPads">ONNX pads [top, left, bottom, right] of the stem convolution.</param>
/// <param name="StridedPads">ONNX pads of the stride-2 3x3 convolutions.</param>
/// <param name="MaxPoolPads">ONNX pads of the max pool.</param>
public sealed record ResNetOnnxWeights(IReadOnlyDictionary<string, Tensor> Tensors, int[] BlocksPerStage,
    long[] StemPads, long[] StridedPads, long[] MaxPoolPads);

/// <summary>
/// Maps a basic-block ResNet exported to ONNX with anonymous initializer names (ParameterNN,
/// ConstantNN) to torchvision names by following the graph: the stem is the convolution that
/// reads the graph input; every Add closes a basic block, whose main path is
/// BN &lt;- Conv &lt;- ReLU &lt;- BN &lt;- Conv and whose shortcut, if it is not the block input,
/// is BN &lt;- Conv (downsample). Initializers no node uses are ignored.
/// </summary>
public static class ResNetOnnxImporter
{
    /// <summary>The weights and shape of the ResNet in <paramref name="graph"/>.</summary>
    /// <exception cref="UserInputException">The graph is not a basic-block ResNet of the expected form.</exception>
    public static ResNetOnnxWeights Import(OnnxGraph graph)
    {
        var tensors = new Dictionary<string, Tensor>();
        var stem = graph.Nodes.FirstOrDefault(n => n.OpType == "Conv" && graph.Inputs.Contains(n.Inputs[0]))
                   ?? throw Malformed(graph, "no convolution reads the graph input");
        AddConv(graph, tensors, stem, "conv1");
        AddBatchNorm(graph, tensors, SingleConsumer(graph, stem, "BatchNormalization"), "bn1");
        var maxPool = graph.Nodes.FirstOrDefault(n => n.OpType == "MaxPool") ?? throw Malformed(graph, "no MaxPool node");

        var blocksPerStage = new List<int>();
        long[]? stridedPads = null;
        foreach (var add in graph.Nodes.Where(n => n.OpType == "Add"))
        {
            var (conv1, conv2, downsample) = BlockConvs(graph, add);
            bool newStage = blocksPerStage.Count == 0 || downsample is not null;
            if (newStage) blocksPerStage.Add(0);
            string prefix = $"layer{blocksPerStage.Count}.{blocksPerStage[^1]}";
            blocksPerStage[^1]++;
            AddConv(graph, tensors, conv1, $"{prefix}.conv1");
            AddBatchNorm(graph, tensors, SingleConsumer(graph, conv1, "BatchNormalization"), $"{prefix}.bn1");
            AddConv(graph, tensors, conv2, $"{prefix}.conv2");
            AddBatchNorm(graph, tensors, SingleConsumer(graph, conv2, "BatchNormalization"), $"{prefix}.bn2");
            if (downsample is not null)
            {
                AddConv(graph, tensors, downsample, $"{prefix}.downsample.0");
                AddBatchNorm(graph, tensors, SingleConsumer(graph, downsample, "BatchNormalization"), $"{prefix}.downsample.1");
                if (conv1.Ints("strides", [1, 1])[0] == 2) stridedPads ??= conv1.Ints("pads", [0, 0, 0, 0]);
            }
        }
        if (blocksPerStage.Count != 4)
            throw Malformed(graph, $"expected 4 stages of basic blocks, found {blocksPerStage.Count}");
        return new ResNetOnnxWeights(tensors, blocksPerStage.ToArray(), stem.Ints("pads", [0, 0, 0, 0]),
            stridedPads ?? throw Malformed(graph, "no stride-2 block"), maxPool.Ints("pads", [0, 0, 0, 0]));
    }

    /// <summary>The first and second 3x3 convolutions of the block an Add closes, and its downsample convolution if any.</summary>
    private static (OnnxNode Conv1, OnnxNode Conv2, OnnxNode? Downsample) BlockConvs(OnnxGraph graph, OnnxNode add)
    {
        OnnxNode? ConvBehind(string value, out OnnxNode? bn)
        {
            bn = graph.Producer(value);
            return bn?.OpType == "BatchNormalization" && graph.Producer(bn.Inputs[0]) is { OpType: "Conv" } conv ? conv : null;
        }
        bool IsSecondConv(OnnxNode? conv) =>
            conv is not null && graph.Producer(conv.Inputs[0]) is { OpType: "Relu" } relu
            && ConvBehind(relu.Inputs[0], out _) is not null;

        var behind = add.Inputs.Select(v => ConvBehind(v, out _)).ToList();
        int main = behind.FindIndex(IsSecondConv);
        if (add.Inputs.Count != 2 || main < 0)
            throw Malformed(graph, $"Add node '{add.Name}' does not close a basic block (BN <- Conv <- ReLU <- BN <- Conv)");
        var conv2 = behind[main]!;
        var conv1 = ConvBehind(graph.Producer(conv2.Inputs[0])!.Inputs[0], out _)!;
        return (conv1, conv2, behind[1 - main]);
    }

    private static OnnxNode SingleConsumer(OnnxGraph graph, OnnxNode node, string opType) =>
        graph.Consumers(node.Outputs[0]).SingleOrDefault(n => n.OpType == opType)
        ?? throw Malformed(graph, $"node '{node.Name}' is not followed by one {opType}");

    private static void AddConv(OnnxGraph graph, Dictionary<string, Tensor> tensors, OnnxNode conv, string name)
    {
        tensors[$"{name}.weight"] = graph.Initializer(conv.Inputs[1]).ToFloatTensor(graph.Source);
        if (conv.Inputs.Count > 2) throw Malformed(graph, $"convolution '{conv.Name}' has a bias; ResNet convolutions have none");
    }

    private static void AddBatchNorm(OnnxGraph graph, Dictionary<string, Tensor> tensors, OnnxNode bn, string name)
    {
        string[] parts = ["weight", "bias", "running_mean", "running_var"];
        for (int k = 0; k < parts.Length; k++)
            tensors[$"{name}.{parts[k]}"] = graph.Initializer(bn.Inputs[k + 1]).ToFloatTensor(graph.Source);
        if (Math.Abs(bn.Float("epsilon", 1e-5f) - 1e-5f) > 1e-9f)
            throw Malformed(graph, $"batch norm '{bn.Name}' has epsilon {bn.Float("epsilon", 1e-5f)}; expected 1e-5 as in torchvision");
    }

    private static UserInputException Malformed(OnnxGraph graph, string what) =>
        new($"{graph.Source}: not a basic-block ResNet as expected: {what}");
}
