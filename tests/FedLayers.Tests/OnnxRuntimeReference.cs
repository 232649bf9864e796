using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = TorchSharp.torch.Tensor;

namespace FedLayers.Tests;

/// <summary>Runs an ONNX model with ONNX Runtime, the reference the imported models must match.</summary>
internal static class OnnxRuntimeReference
{
    public static float[] Run(string modelPath, string inputName, Tensor input)
    {
        using var session = new InferenceSession(modelPath);
        var data = input.contiguous().data<float>().ToArray();
        var value = NamedOnnxValue.CreateFromTensor(inputName, new DenseTensor<float>(data, input.shape.Select(d => (int)d).ToArray()));
        using var results = session.Run([value]);
        return results.First().AsTensor<float>().ToArray();
    }
}
