namespace FedLayers.Validation;

/// <summary>Checks a typed option's value once, where it is made, and names the field it refuses.</summary>
internal static class FieldCheck
{
    /// <summary><paramref name="value"/> when it lies in the interval (NaN never does), else an <see cref="ArgumentException"/> naming <paramref name="field"/>.</summary>
    public static double InRange(double value, double min, double max, string field, bool minExclusive = false, bool maxExclusive = false)
    {
        bool above = minExclusive ? value > min : value >= min;
        bool below = maxExclusive ? value < max : value <= max;
        if (above && below && double.IsFinite(value)) return value;
        throw new ArgumentException($"must be a finite number in {(minExclusive ? "(" : "[")}{min}, {max}{(maxExclusive ? ")" : "]")}, got {value}", field);
    }

    /// <summary><paramref name="value"/> when it is a finite number above 0, else an <see cref="ArgumentException"/> naming <paramref name="field"/>.</summary>
    public static double AboveZero(double value, string field) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentException($"must be a finite number above 0, got {value}", field);

    /// <summary><paramref name="value"/> when it is at least <paramref name="min"/>, else an <see cref="ArgumentException"/> naming <paramref name="field"/>.</summary>
    public static int AtLeast(int value, int min, string field) =>
        value >= min ? value : throw new ArgumentException($"must be at least {min}, got {value}", field);
}
