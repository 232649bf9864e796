namespace FedLayers.Data;

/// <summary>
/// Deterministic random streams. Every consumer (partition, budgets, sampler, batch order)
/// derives its own <see cref="Random"/> from the run seed and a purpose label, so adding a
/// consumer never shifts another's numbers and any round can be replayed on its own.
/// </summary>
public static class SeededRandom
{
    /// <summary>A stream for <paramref name="purpose"/>, further keyed by e.g. round and client.</summary>
    public static Random For(int seed, string purpose, params int[] keys)
    {
        // FNV-1a over the seed, the label and the keys: stable across runs and .NET versions
        // (string.GetHashCode is randomised per process, so it cannot be used here).
        ulong hash = 14695981039346656037UL;
        void Mix(int value)
        {
            for (int b = 0; b < 4; b++)
            {
                hash ^= (byte)(value >> (8 * b));
                hash *= 1099511628211UL;
            }
        }
        Mix(seed);
        foreach (var c in purpose) Mix(c);
        foreach (var k in keys) Mix(k);
        return new Random((int)(hash ^ (hash >> 32)) & int.MaxValue);
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    public static double NextNormal(this Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A Gamma(shape, 1) draw (Marsaglia and Tsang; boosted for shape below 1).</summary>
    public static double NextGamma(this Random random, double shape)
    {
        if (shape <= 0) throw new ArgumentOutOfRangeException(nameof(shape), shape, "must be positive");
        if (shape < 1)
            return random.NextGamma(shape + 1) * Math.Pow(1.0 - random.NextDouble(), 1.0 / shape);
        double d = shape - 1.0 / 3.0, c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do { x = random.NextNormal(); v = 1.0 + c * x; } while (v <= 0);
            v = v * v * v;
            double u = 1.0 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    /// <summary>A draw from the symmetric Dirichlet(alpha) over <paramref name="size"/> outcomes.</summary>
    public static double[] NextDirichlet(this Random random, double alpha, int size)
    {
        var draws = new double[size];
        for (int k = 0; k < size; k++) draws[k] = random.NextGamma(alpha);
        double total = draws.Sum();
        if (total <= 0) // every draw underflowed (tiny alpha): put all the mass on one outcome
        {
            draws[random.Next(size)] = 1;
            return draws;
        }
        for (int k = 0; k < size; k++) draws[k] /= total;
        return draws;
    }

    /// <summary>A Fisher-Yates shuffle of 0..count-1.</summary>
    public static int[] Permutation(this Random random, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order;
    }
}
