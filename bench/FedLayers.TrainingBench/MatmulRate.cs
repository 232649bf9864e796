using System.Diagnostics;
using static TorchSharp.torch;

namespace FedLayers.TrainingBench;

/// <summary>This machine's fp32 matrix-multiply rate: square products of <paramref name="size"/>, median over repeats.</summary>
public static class MatmulRate
{
    public static double GigaflopsPerSecond(int size = 2048, int repeats = 10)
    {
        using var a = randn(size, size);
        using var b = randn(size, size);
        double Seconds()
        {
            var clock = Stopwatch.StartNew();
            using var product = a.matmul(b);
            return clock.Elapsed.TotalSeconds;
        }
        Seconds(); // warm-up
        return 2.0 * size * size * size / Statistics.Median(Enumerable.Range(0, repeats).Select(_ => Seconds()).ToList()) / 1e9;
    }
}
