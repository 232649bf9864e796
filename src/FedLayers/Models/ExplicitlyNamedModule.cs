using static TorchSharp.torch;

namespace FedLayers.Models;

/// <summary>
/// A module that registers its children itself, under names that mirror a checkpoint, some of
/// them nested (attention.attention.query) because Hugging Face nests its layers in wrapper
/// modules. TorchSharp would also register every module-typed field under the field's own name
/// when the module joins a parent; that automatic registration is switched off here, so the leaf
/// layers a forward needs can live in fields without appearing twice in the state.
/// </summary>
/// <remarks>
/// Parameters registered directly on such a module are read back by name (get_parameter), never
/// kept in fields: moving a module to another device or dtype replaces its registered parameters.
/// </remarks>
/// <param name="name">The module's name.</param>
public abstract class ExplicitlyNamedModule(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>Does nothing: subclasses register their children with <c>register_module</c> under the checkpoint's names.</summary>
    protected sealed override void RegisterComponents()
    {
    }
}
