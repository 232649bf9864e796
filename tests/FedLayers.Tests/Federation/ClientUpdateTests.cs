using FedLayers.Federation;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

/// <summary>What of a client's update is not a finite number, in every floating-point type, at the edges of each type's range.</summary>
public class ClientUpdateTests
{
    private static string? NotFinite(Tensor delta, double trainLoss = 0.5)
    {
        using var update = new ClientUpdate(0, 10, ["g"], new Dictionary<string, Tensor> { ["ok"] = zeros(3), ["w"] = delta }, trainLoss, 1);
        return update.NotFinite();
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    public void ANaNOrAnInfinityAnywhereIsNamedAndTheLargestFiniteValuesAreNot(ScalarType type)
    {
        double largest = type switch
        {
            ScalarType.Float32 => float.MaxValue,
            ScalarType.Float64 => double.MaxValue,
            ScalarType.Float16 => 65504,
            _ => 3.3895313892515355e38, // bfloat16's
        };
        // thousands of the largest values of either sign: a sum in the tensor's own type overflows, the check must not
        Assert.Null(NotFinite(full(4096, largest, dtype: type)));
        Assert.Null(NotFinite(cat([full(2048, largest, dtype: type), full(2048, -largest, dtype: type)])));
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var delta = zeros(1000, dtype: type);
            delta[777] = tensor(bad, dtype: type);
            Assert.Equal("tensor 'w'", NotFinite(delta));
        }
        var both = zeros(4, dtype: type);
        both[0] = tensor(double.PositiveInfinity, dtype: type);
        both[1] = tensor(double.NegativeInfinity, dtype: type);
        Assert.Equal("tensor 'w'", NotFinite(both));
    }

    [Fact]
    public void ATrainLossThatIsNotFiniteIsNamed() => Assert.Equal("its train loss", NotFinite(zeros(2), double.NaN));
}
