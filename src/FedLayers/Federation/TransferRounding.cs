using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Federation;

/// <summary>What <see cref="TransferDtype"/> does to a tensor on its way between the server and a client.</summary>
public static class TransferRounding
{
    /// <summary>The type a tensor of type <paramref name="native"/> travels in.</summary>
    public static ScalarType WireType(this TransferDtype transfer, ScalarType native) => native != ScalarType.Float32 ? native : transfer switch
    {
        TransferDtype.BFloat16 => ScalarType.BFloat16,
        TransferDtype.Float16 => ScalarType.Float16,
        _ => ScalarType.Float32,
    };

    /// <summary>The tensor converted to the type it travels in, a new tensor; null when it travels in its own type, as it is.</summary>
    public static Tensor? Converted(this TransferDtype transfer, Tensor tensor)
    {
        var type = transfer.WireType(tensor.dtype);
        return type == tensor.dtype ? null : tensor.to(type);
    }

    /// <summary>The tensor as it travels, a new tensor.</summary>
    public static Tensor ToWire(this TransferDtype transfer, Tensor tensor) => transfer.Converted(tensor) ?? tensor.clone();

    /// <summary>A tensor that travelled in a half format, back in float32, a new tensor; null when it travelled in another type and
    /// is used as it is.</summary>
    public static Tensor? Widened(Tensor tensor) =>
        tensor.dtype is ScalarType.BFloat16 or ScalarType.Float16 ? tensor.to(ScalarType.Float32) : null;

    /// <summary>A tensor that travelled, back in float32 when it travelled in a half format; a new tensor.</summary>
    public static Tensor FromWire(Tensor tensor) => Widened(tensor) ?? tensor.clone();

    /// <summary>The tensor as the other side receives it: rounded to the wire type and back; a new tensor.</summary>
    public static Tensor RoundTrip(this TransferDtype transfer, Tensor tensor)
    {
        using var onWire = transfer.ToWire(tensor);
        return FromWire(onWire);
    }
}
