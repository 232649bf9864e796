using System.Text.Json;
using FedLayers.Federation;
using FedLayers.Setup;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLayers.Tests.Distributed;

/// <summary>Weights and updates travelling in bfloat16: half the bytes, and a deployment still exactly its simulation, which
/// rounds what its clients receive and send the same way. The server and the clients run in this process; every message goes
/// over gRPC.</summary>
public class TransferDtypeTests
{
    private static RunConfig Config(string folder, TransferDtype transfer) => RunConfig.Defaults()
        .With(RunSettings.Model, "small-cnn").With(RunSettings.Strategy, "strategic").With(RunSettings.Clients, 3)
        .With(RunSettings.ClientsPerRound, 3).With(RunSettings.Rounds, 2).With(RunSettings.LocalSteps, 3)
        .With(RunSettings.MaxSamplesPerClient, 100).With(RunSettings.EvalSamples, 500).With(RunSettings.Seed, 5)
        .With(RunSettings.TransferDtypeChoice, transfer).With(RunSettings.Out, folder);

    private static List<JsonElement> Rounds(string run) =>
        [.. File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)];

    private static long Bytes(string run, string field) => Rounds(run).Skip(1).Sum(r => r.GetProperty(field).GetInt64());

    [Fact]
    public async Task ABFloat16DeploymentSendsHalfTheBytesAndTrainsExactlyAsItsSimulation()
    {
        using var deployment = new TestDeployment(3);
        Assert.True(await InProcessDeployment.RunAsync(deployment, Config(deployment.RunFolder, TransferDtype.BFloat16)));
        var simulation = deployment.Path("simulation");
        await Simulation.RunAsync(Config(simulation, TransferDtype.BFloat16), [], _ => { });
        var float32 = deployment.Path("float32");
        await Simulation.RunAsync(Config(float32, TransferDtype.Float32), [], _ => { });

        Assert.Equal(TestDeployment.Numbers(Path.Combine(simulation, "metrics.jsonl")), TestDeployment.Numbers(Path.Combine(deployment.RunFolder, "metrics.jsonl")));
        Assert.Equal(File.ReadAllLines(Path.Combine(simulation, "selections.jsonl")), File.ReadAllLines(Path.Combine(deployment.RunFolder, "selections.jsonl")));
        // the same layers in both runs' first round (the same starting weights and probes): half the update bytes; small-cnn's
        // integer buffers travel as they are, so a little more than half
        double upload = (double)Rounds(simulation)[1].GetProperty("upload_bytes").GetInt64() / Rounds(float32)[1].GetProperty("upload_bytes").GetInt64();
        Assert.InRange(upload, 0.5, 0.51);
        Assert.NotEqual(Rounds(float32)[2].GetProperty("test_loss").GetDouble(), Rounds(simulation)[2].GetProperty("test_loss").GetDouble());
        Assert.True(Bytes(deployment.RunFolder, "download_bytes") > 0);
    }

    [Fact]
    public void RoundingTouchesOnlyFloat32TensorsAndKeepsWhatBFloat16CanHold()
    {
        using var weights = tensor(new[] { 1f, 1.0078125f, 3.14159265f, -2e30f });
        using var counter = tensor(new long[] { 123456789 });
        using var rounded = TransferDtype.BFloat16.RoundTrip(weights);
        using var counted = TransferDtype.BFloat16.RoundTrip(counter);
        using var half = TransferDtype.Float16.RoundTrip(weights);

        Assert.Equal(ScalarType.Float32, rounded.dtype);
        // 8 significant bits: 1 + 2^-7 is kept, pi becomes 3.140625, and float32's range is kept to within 2^-8
        var values = rounded.data<float>().ToArray();
        Assert.Equal([1f, 1.0078125f, 3.140625f], values[..3]);
        Assert.InRange(values[3] / -2e30f, 1 - 1 / 256f, 1 + 1 / 256f);
        Assert.Equal(123456789L, counted.item<long>());
        Assert.True(float.IsNegativeInfinity(half.data<float>()[3]), "float16 cannot hold 2e30");
        Assert.Equal(ScalarType.BFloat16, TransferDtype.BFloat16.WireType(ScalarType.Float32));
        Assert.Equal(ScalarType.Int64, TransferDtype.BFloat16.WireType(ScalarType.Int64));
    }
}
