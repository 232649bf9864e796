using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Setup;

/// <summary>The --device a run computes on.</summary>
public static class DeviceChoice
{
    /// <summary>A LibTorch runtime package with CUDA that a user with an NVIDIA GPU would build with (docs/PACKAGES.md).</summary>
    public const string CudaRuntimePackage = "libtorch-cuda-12.8-linux-x64";

    /// <summary>The device <paramref name="name"/> names: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <exception cref="UserInputException">an unknown name, or CUDA asked for where this build or machine has none (the message says why).</exception>
    public static Device Parse(string name)
    {
        if (name == "cpu") return CPU;
        if (!name.StartsWith("cuda", StringComparison.Ordinal))
            throw new UserInputException($"--device: unknown device '{name}'; expected cpu, cuda or cuda:N");
        if (!cuda.is_available()) throw new UserInputException($"--device {name}: {WhyNoCuda()}");
        try { return torch.device(name); }
        catch (Exception) { throw new UserInputException($"--device: '{name}' is not a valid device; expected cpu, cuda or cuda:N"); }
    }

    /// <summary>A CPU build cannot use a GPU whatever the machine has; a CUDA build needs a visible GPU.</summary>
    private static string WhyNoCuda()
    {
        var runtime = Assembly.GetEntryAssembly()?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "FedLayers.LibTorchRuntime")?.Value;
        if (runtime is null || runtime.StartsWith("libtorch-cpu", StringComparison.Ordinal))
            return $"this build's LibTorch runtime is {runtime ?? "not a CUDA one"} (CPU only); rebuild with -p:FedLayersLibTorch={CudaRuntimePackage} " +
                   "(docs/PACKAGES.md) on a machine with an NVIDIA GPU, or use --device cpu";
        return $"this build has the CUDA runtime {runtime}, but LibTorch sees no GPU (driver, CUDA_VISIBLE_DEVICES?); use --device cpu";
    }
}
