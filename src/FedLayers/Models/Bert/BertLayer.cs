using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>
/// One post-norm transformer layer (Hugging Face BertLayer): x = LN(x + Attn(x)), then
/// x = LN(x + FFN(x)). This is the unit FedLayers selects: <c>encoder.layer.{i}</c>.
/// </summary>
public sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;

    /// <summary>Sized by <paramref name="config"/>, with TorchSharp's default initialisation (load trained weights by name).</summary>
    public BertLayer(BertConfig config) : base("layer")
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>The layer's output [B, T, H].</summary>
    /// <param name="hidden">[B, T, H]</param>
    /// <param name="keyMask">additive [B, 1, 1, T], see <see cref="BertSelfAttention.forward"/>.</param>
    public override Tensor forward(Tensor hidden, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.forward(hidden, keyMask);
        return output.forward(intermediate.forward(attended), attended).MoveToOuterDisposeScope();
    }

    /// <summary>Forward FLOPs of one layer for one sequence of <paramref name="tokens"/> tokens.</summary>
    public static long Flops(BertConfig config, int tokens) =>
        FlopCount.Linear(config.HiddenSize, config.HiddenSize, 4L * tokens)
        + FlopCount.SelfAttention(tokens, config.HiddenSize)
        + FlopCount.Linear(config.HiddenSize, config.IntermediateSize, tokens)
        + FlopCount.Linear(config.IntermediateSize, config.HiddenSize, tokens);
}
