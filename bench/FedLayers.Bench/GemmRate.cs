using System.Diagnostics;
using static TorchSharp.torch;

namespace FedLayers.Bench;

/// <summary>
/// This machine's fp32 matrix-multiply rate: the yardstick every absolute time in the docs names, since machines of the
/// same name differ by 2x or more. The median of ten 2048 x 2048 products on the threads LibTorch uses by default.
/// </summary>
public static class GemmRate
{
    /// <summary>GFLOP/s of a 2048 x 2048 fp32 matrix product (2 n^3 operations), the median of ten after two warm-ups.</summary>
    public static double GflopsPerSecond()
    {
        const int n = 2048;
        using var a = randn(n, n);
        using var b = randn(n, n);
        var seconds = new List<double>();
        for (int repeat = 0; repeat < 12; repeat++)
        {
            var clock = Stopwatch.StartNew();
            using var product = a.matmul(b);
            if (repeat >= 2) seconds.Add(clock.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        double median = (seconds[4] + seconds[5]) / 2;
        return 2.0 * n * n * n / median / 1e9;
    }
}
