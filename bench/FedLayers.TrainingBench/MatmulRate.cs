using System.Diagnostics;
using static TorchSharp.torch;

namespace FedLayers.TrainingBench;

/// <summary>This machine's fp32 matrix-multiply rate: square products of <paramref name="size"/>, the fastest of a few.</summary>
public static class MatmulRate
{
    public static double GigaflopsPerSecond(int size = 2048, int repeats = 5)
    {
        using var a = randn(size, size);
        using var b = randn(size, size);
        double Seconds()
        {
            var clock = Stopwatch.StartNew();
            using var product = a.matmul(b);
            return clock.Elapsed.TotalSeconds;
        }
        return 2.0 * size * size * size / Enumerable.Range(0, repeats).Min(_ => Seconds()) / 1e9;
    }
}
