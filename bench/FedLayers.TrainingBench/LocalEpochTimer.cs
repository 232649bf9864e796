using System.Diagnostics;
using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Models;
using static TorchSharp.torch;

namespace FedLayers.TrainingBench;

/// <summary>
/// Seconds per local epoch of one client that holds the whole <see cref="LabeledDataset"/>, from
/// its second epoch on: (seconds for E epochs - seconds for 1 epoch) / (E - 1), so that loading the
/// weights, the first epoch's prefix computation and the deltas are left out.
/// </summary>
public sealed class LocalEpochTimer(LayeredModel model, LabeledDataset data, int batchSize, int epochs)
{
    private readonly List<int> samples = Enumerable.Range(0, data.Count).ToList();

    /// <param name="mask">the selectable layers trained (the head always is).</param>
    /// <param name="prefixCacheBytes">0 turns the frozen-prefix cache off.</param>
    public double SecondsPerLaterEpoch(bool[] mask, long prefixCacheBytes)
    {
        using var global = ModelState.Capture(model);
        var trained = TrainableGroups.ForMask(model.Groups, mask);
        var trainer = new ClientTrainer(model, CPU);
        double Seconds(int passes)
        {
            var options = new LocalTrainingOptions(passes, null, 0.01, batchSize, prefixCacheBytes);
            var clock = Stopwatch.StartNew();
            using var update = trainer.Train(0, global, data, samples, trained, options, new Random(1));
            return clock.Elapsed.TotalSeconds;
        }
        double estimate = (Seconds(epochs) - Seconds(1)) / (epochs - 1);
        global.LoadInto(model);
        return estimate;
    }

    /// <summary>Optimiser steps in one epoch.</summary>
    public int StepsPerEpoch => (data.Count + batchSize - 1) / batchSize;
}
