namespace FedLayers.Federation;

/// <summary>How a client trains locally: plain SGD (PAPER.md, reference setup).</summary>
/// <param name="Steps">when set, exactly this many optimiser steps instead of <paramref name="Epochs"/> passes.</param>
/// <param name="PrefixCacheBytes">the most memory the outputs of the frozen prefix may be kept in during one
/// client's training (<see cref="FrozenPrefix"/>); null: <see cref="DefaultPrefixCacheBytes"/>.</param>
public sealed record LocalTrainingOptions(int Epochs, int? Steps, double LearningRate, int BatchSize, long? PrefixCacheBytes = null)
{
    /// <summary>A quarter of the memory this process may use (physical memory, or the container's limit).</summary>
    public static long DefaultPrefixCacheBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;
}
