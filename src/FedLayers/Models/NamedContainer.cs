using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// A module that only holds named children. Hugging Face nests its layers in small wrapper modules
/// (ViTAttention, CLIPMLP, ...) whose only trace in a checkpoint is a segment of the tensor names;
/// a container reproduces that segment while the math stays in one forward.
/// </summary>
/// <remarks>TorchSharp's ModuleDict would do, but in 0.107 it cannot be moved to another dtype or device.</remarks>
public sealed class NamedContainer : nn.Module
{
    /// <summary>Registers every child under its name, in order.</summary>
    public NamedContainer(params (string Name, nn.Module Child)[] children) : base("container")
    {
        foreach (var (name, child) in children)
            register_module(name, child);
    }
}
