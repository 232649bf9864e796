namespace FedLayers.Federation;

/// <summary>How a client trains locally. The defaults are PAPER.md's reference setup: plain SGD on the
/// cross-entropy at a constant rate.</summary>
/// <param name="Epochs">passes over the client's samples, when <paramref name="Steps"/> is null.</param>
/// <param name="Steps">when set, exactly this many optimiser steps instead of <paramref name="Epochs"/> passes.</param>
/// <param name="LearningRate">the base rate, which <see cref="Schedule"/> turns into each round's.</param>
/// <param name="BatchSize">samples per optimiser step.</param>
/// <param name="PrefixCacheBytes">the most memory the outputs of the frozen prefix may be kept in during one
/// client's training (<see cref="FrozenPrefix"/>), and the budget of the <see cref="CrossRoundPrefixCache"/> a simulation or a
/// deployed client makes from it; null: <see cref="DefaultPrefixCacheBytes"/>.</param>
public sealed record LocalTrainingOptions(int Epochs, int? Steps, double LearningRate, int BatchSize, long? PrefixCacheBytes = null)
{
    /// <summary>A quarter of the memory this process may use (physical memory, or the container's limit).</summary>
    public static long DefaultPrefixCacheBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4;

    /// <summary>The optimiser, made anew for every local training.</summary>
    public LocalOptimizer Optimizer { get; init; } = LocalOptimizer.PlainSgd;

    /// <summary>What training minimises and the probes differentiate.</summary>
    public TrainingLoss Loss { get; init; } = TrainingLoss.PlainCrossEntropy;

    /// <summary>The learning rate of each round.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>The options of round <paramref name="round"/>: its scheduled rate, held for the whole local training.</summary>
    public LocalTrainingOptions ForRound(int round) =>
        this with { LearningRate = Schedule.RateAt(LearningRate, round), Schedule = LearningRateSchedule.Constant };
}
