namespace FedLayers.Comparison;

/// <summary>One arm and seed of a comparison, and the run folder it writes.</summary>
/// <param name="Arm">The arm: its strategy and settings.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Folder">The run folder, FOLDER/runs/&lt;arm&gt;-seed&lt;seed&gt;.</param>
public sealed record ComparisonRun(ComparisonArm Arm, int Seed, string Folder);

/// <summary>What a comparison reports while it runs.</summary>
public interface IComparisonProgress
{
    /// <summary>Run <paramref name="index"/> (1-based) of <paramref name="count"/> starts; the sink follows its rounds.</summary>
    Reporting.IRoundSink Starting(int index, int count, ComparisonRun run);

    /// <summary>Run <paramref name="index"/> had already finished in an earlier invocation.</summary>
    void Skipped(int index, int count, ComparisonRun run);
}
