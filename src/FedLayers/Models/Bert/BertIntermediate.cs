using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models.Bert;

/// <summary>The first feed-forward projection and its activation (Hugging Face BertIntermediate).</summary>
public sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly GELU.Approximate approximate;

    /// <summary>Sized by <paramref name="config"/>, with TorchSharp's default initialisation.</summary>
    /// <exception cref="ArgumentException"><see cref="BertConfig.HiddenAct"/> is not one of the supported GELUs.</exception>
    public BertIntermediate(BertConfig config) : base("intermediate")
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        approximate = config.HiddenAct switch
        {
            "gelu" => GELU.Approximate.none, // exact: x * (1 + erf(x / sqrt 2)) / 2, as BERT uses
            "gelu_new" or "gelu_pytorch_tanh" => GELU.Approximate.tanh,
            _ => throw new ArgumentException($"hidden_act '{config.HiddenAct}' is not supported"),
        };
        RegisterComponents();
    }

    /// <summary>GELU(dense(hidden)): [B, T, H] in, [B, T, intermediate size] out.</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return nn.functional.gelu(dense.forward(hidden), approximate).MoveToOuterDisposeScope();
    }
}
