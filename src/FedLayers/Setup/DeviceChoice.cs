using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Setup;

/// <summary>The --device a run computes on.</summary>
public static class DeviceChoice
{
    public static Device Parse(string name)
    {
        if (name == "cpu") return CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!cuda.is_available()) throw new UserInputException($"--device: '{name}' was asked for but CUDA is not available on this machine; use --device cpu");
            try { return torch.device(name); }
            catch (Exception) { throw new UserInputException($"--device: '{name}' is not a valid device; expected cpu, cuda or cuda:N"); }
        }
        throw new UserInputException($"--device: unknown device '{name}'; expected cpu, cuda or cuda:N");
    }
}
