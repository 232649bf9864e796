using FedLayers.Data;
using FedLayers.Federation;
using FedLayers.Reporting;
using FedLayers.Setup;
using static TorchSharp.torch;

namespace FedLayers.Tests.Federation;

/// <summary>Simulated clients share one module and the server keeps one global state: memory does not grow with the number of clients.</summary>
public class ClientCountTests
{
    /// <summary>Counts the tensors alive at the end of every round, beyond those alive before the run.</summary>
    private sealed class LiveTensorSink : IRoundSink
    {
        private readonly long before = LiveTensorCount();

        public List<long> AfterRound { get; } = [];

        public void OnRound(RoundRecord record) => AfterRound.Add(LiveTensorCount() - before);

        private static long LiveTensorCount()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            return Tensor.TotalCount;
        }
    }

    [Fact]
    public async Task AHundredClientsKeepNoMoreTensorsAliveThanFive()
    {
        using var train = TinyData.Images(1000);
        using var test = TinyData.Images(100, seed: 2);
        var few = await LiveTensors(5, train, test);
        var many = await LiveTensors(100, train, test);

        Assert.Equal(4, many.Count); // rounds 0..3: the 100-client run completed
        // one more model's worth of tensors (small-cnn has 52 state tensors) would break this bound
        Assert.True(many.Max() - few.Max() < 20, $"tensors the run keeps alive per round: {string.Join(", ", few)} (5 clients), {string.Join(", ", many)} (100 clients)");
    }

    private static async Task<List<long>> LiveTensors(int clients, LabeledDataset train, LabeledDataset test)
    {
        using var folder = new TempFolder();
        var config = RunConfig.Defaults()
            .With(RunSettings.Model, "small-cnn")
            .With(RunSettings.Strategy, "rgn")
            .With(RunSettings.Clients, clients)
            .With(RunSettings.ClientsPerRound, 5)
            .With(RunSettings.Rounds, 3)
            .With(RunSettings.LocalSteps, 2)
            .With(RunSettings.BatchSize, 8)
            .With(RunSettings.Partition, "iid")
            .With(RunSettings.ProbeBatches, 1)
            .With(RunSettings.Out, folder.Path("run"));
        var sink = new LiveTensorSink();
        await Simulation.RunAsync(config, new TensorSplits(train, test), [sink], _ => { });
        return sink.AfterRound;
    }
}
