namespace FedLayers.Comparison;

/// <summary>The Student t distribution's two-sided 95 % critical values, for intervals over a few seeds.</summary>
public static class StudentT
{
    // t_{0.975} for 1 to 30 degrees of freedom (standard tables, to 3 decimals)
    private static readonly double[] Table =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>t such that P(|T| &lt;= t) = 0.95 with <paramref name="degreesOfFreedom"/> (at least 1); beyond 30, the normal's
    /// 1.96 plus the first correction term, 2.4 / df, within 0.003 of the exact value.</summary>
    public static double Critical95(int degreesOfFreedom) =>
        degreesOfFreedom < 1 ? throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "must be at least 1")
        : degreesOfFreedom <= Table.Length ? Table[degreesOfFreedom - 1]
        : 1.96 + 2.4 / degreesOfFreedom;
}
