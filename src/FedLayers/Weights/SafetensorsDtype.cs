using static TorchSharp.torch;

namespace FedLayers.Weights;

/// <summary>The safetensors dtype names we read and write, their TorchSharp types and element sizes.</summary>
internal static class SafetensorsDtype
{
    private static readonly (string Name, ScalarType Type, int Size)[] Known =
    [
        ("F64", ScalarType.Float64, 8),
        ("F32", ScalarType.Float32, 4),
        ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2),
        ("I64", ScalarType.Int64, 8),
        ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2),
        ("I8", ScalarType.Int8, 1),
        ("U8", ScalarType.Byte, 1),
        ("BOOL", ScalarType.Bool, 1),
    ];

    public static string SupportedNames { get; } = string.Join(", ", Known.Select(k => k.Name));

    /// <summary>The TorchSharp type and element size of a dtype name, or false if we do not support it.</summary>
    public static bool TryParse(string name, out ScalarType type, out int size)
    {
        foreach (var known in Known)
        {
            if (known.Name == name)
            {
                (type, size) = (known.Type, known.Size);
                return true;
            }
        }
        (type, size) = (default, 0);
        return false;
    }

    /// <summary>The dtype name of a TorchSharp type, or null if safetensors (as we support it) has none.</summary>
    public static string? NameOf(ScalarType type)
    {
        foreach (var known in Known)
        {
            if (known.Type == type)
                return known.Name;
        }
        return null;
    }
}
