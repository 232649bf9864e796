using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace FedLayers.Weights.Onnx;

public static class OnnxTensorConversion
{
    /// <summary>A float32 CPU tensor with the ONNX tensor's shape and values.</summary>
    public static Tensor ToFloatTensor(this OnnxTensor t, string source) => t.DataType switch
    {
        OnnxTensor.Float => tensor(MemoryMarshal.Cast<byte, float>(t.Data).ToArray(), t.Dims),
        OnnxTensor.Double => tensor(MemoryMarshal.Cast<byte, double>(t.Data).ToArray(), t.Dims).to_type(ScalarType.Float32),
        _ => throw new UserInputException($"{source}: tensor '{t.Name}' has ONNX data type {t.DataType}; expected float"),
    };
}
