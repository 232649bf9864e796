namespace FedLayers.Federation;

/// <summary>How a client trains locally: plain SGD (PAPER.md, reference setup).</summary>
/// <param name="Steps">when set, exactly this many optimiser steps instead of <paramref name="Epochs"/> passes.</param>
public sealed record LocalTrainingOptions(int Epochs, int? Steps, double LearningRate, int BatchSize);
