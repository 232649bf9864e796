using FedLayers.Federation;

namespace FedLayers.Tests.Federation;

public class StandardNormalTests
{
    /// <summary>ln Q(z) against Python's math.erfc (Q(z) = erfc(z/√2)/2, exact to double precision) and, at 60 where Q
    /// underflows, the asymptotic series Q(z) = φ(z)/z·(1 - 1/z² + 3/z⁴ - 15/z⁶ + 105/z⁸); the approximation's relative
    /// error of Q is below 1.2e-7, so ln Q may be off by that much, and a wrong coefficient is off by far more.</summary>
    [Theory]
    [InlineData(-1, -0.1727537790234499)]
    [InlineData(0, -0.6931471805599453)]
    [InlineData(0.5, -1.1759117615936188)]
    [InlineData(1, -1.8410216450092634)]
    [InlineData(3, -6.607726221510348)]
    [InlineData(10, -53.23128515051246)]
    [InlineData(37, -689.0305855768905)]
    [InlineData(60, -1805.0135606805673)]
    public void TheLogUpperTailMatchesReferenceValues(double z, double expected) =>
        Assert.InRange(StandardNormal.LogUpperTail(z) - expected, -1.2e-7, 1.2e-7);
}
