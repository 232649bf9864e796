using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace FedLayers.Weights.Onnx;

/// <summary>Turns tensors read from ONNX files into TorchSharp tensors.</summary>
public static class OnnxTensorConversion
{
    /// <summary>A new float32 CPU tensor with the ONNX tensor's shape and values (float64 is narrowed); the caller disposes it.</summary>
    /// <param name="t">A float or double ONNX tensor.</param>
    /// <param name="source">Names the model in messages.</param>
    /// <exception cref="UserInputException">The tensor holds another data type.</exception>
    public static Tensor ToFloatTensor(this OnnxTensor t, string source) => t.DataType switch
    {
        OnnxTensor.Float => tensor(MemoryMarshal.Cast<byte, float>(t.Data).ToArray(), t.Dims),
        OnnxTensor.Double => tensor(MemoryMarshal.Cast<byte, double>(t.Data).ToArray(), t.Dims).to_type(ScalarType.Float32),
        _ => throw new UserInputException($"{source}: tensor '{t.Name}' has ONNX data type {t.DataType}; expected float"),
    };
}
