namespace FedLayers.Federation;

/// <summary>
/// The number format weights and updates travel in between the server and its clients. Only float32 tensors change
/// format (integer buffers such as batch norm's counter travel as they are); the server keeps and aggregates float32.
/// A simulation rounds what its clients receive and send the same way, so a deployment stays its simulation.
/// </summary>
public enum TransferDtype
{
    /// <summary>As the model holds them: 4 bytes a value, nothing rounded.</summary>
    Float32,

    /// <summary>bfloat16: 2 bytes a value, float32's range with 8 bits of mantissa.</summary>
    BFloat16,

    /// <summary>IEEE half precision: 2 bytes a value, 11 bits of mantissa but a range up to 65504 (larger values become infinite,
    /// and a client whose update does is left out of the round).</summary>
    Float16,
}
