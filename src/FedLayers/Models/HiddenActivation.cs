using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// The activation a Hugging Face config names in <c>hidden_act</c>, computed as the transformers
/// library defines that name.
/// </summary>
public sealed class HiddenActivation
{
    private static readonly Dictionary<string, Func<Tensor, Tensor>> Functions = new()
    {
        ["gelu"] = x => nn.functional.gelu(x), // exact, with erf
        ["gelu_new"] = x => nn.functional.gelu(x, GELU.Approximate.tanh),
        ["gelu_pytorch_tanh"] = x => nn.functional.gelu(x, GELU.Approximate.tanh),
        ["quick_gelu"] = x => x * (1.702 * x).sigmoid(), // what OpenAI trained CLIP with
        ["relu"] = x => nn.functional.relu(x),
    };

    private readonly Func<Tensor, Tensor> function;

    private HiddenActivation(string name, Func<Tensor, Tensor> function)
    {
        Name = name;
        this.function = function;
    }

    /// <summary>The <c>hidden_act</c> names this class computes.</summary>
    public static IEnumerable<string> SupportedNames => Functions.Keys;

    /// <summary>The <c>hidden_act</c> name it was found by.</summary>
    public string Name { get; }

    /// <summary>Null when <paramref name="name"/> is not one of <see cref="SupportedNames"/>.</summary>
    public static HiddenActivation? Find(string name) =>
        Functions.TryGetValue(name, out var function) ? new HiddenActivation(name, function) : null;

    /// <summary>The activation of <paramref name="x"/>, element-wise, as a new tensor.</summary>
    public Tensor Apply(Tensor x) => function(x);
}
