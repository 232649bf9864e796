using System.Text.Json;
using FedLayers.Distributed;
using FedLayers.Distributed.Protocol;
using FedLayers.Federation;
using FedLayers.Reporting;
using FedLayers.Setup;
using FedLayers.Tests.Federation;
using FedLayers.Weights;

namespace FedLayers.Tests.Distributed;

/// <summary>Real server and client processes on 127.0.0.1, as a user runs them.</summary>
public class DeploymentTests(FashionMnistSlice data) : IClassFixture<FashionMnistSlice>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private static string[] Training(int clientsPerRound, int rounds, string strategy = "strategic", int steps = 5) =>
    [
        "--model", "small-cnn", "--strategy", strategy, "--clients-per-round", $"{clientsPerRound}", "--rounds", $"{rounds}",
        "--local-steps", $"{steps}", "--max-samples-per-client", "200", "--eval-samples", "1000", "--seed", "5",
    ];

    [Fact]
    public async Task FourClientsOverTlsTrainExactlyAsTheSimulationOfTheSameConfiguration()
    {
        using var deployment = new TestDeployment(4);
        deployment.MakeCertificate();
        using var server = deployment.Serve(tls: true, Training(4, 3));
        await server.WaitForAsync("waiting for 4 clients", Patience);

        using (var intruder = CliProcess.Start("join", "--server", $"https://127.0.0.1:{deployment.Port}", "--ca-cert", deployment.CertificateFile,
                   "--client-id", TestDeployment.Id(0), "--token", "not-the-secret-of-client-0"))
        {
            Assert.Equal(2, await intruder.ExitCodeAsync(Patience));
            Assert.Contains("not accepted", intruder.Output);
        }
        // each machine sets the memory it keeps frozen-prefix outputs in, which changes no number: one keeps none, one 64 MiB
        string[][] cacheOptions = [[], ["--prefix-cache-mb", "0"], ["--prefix-cache-mb", "64"], []];
        var clients = Enumerable.Range(0, 4).Select(i => deployment.Join(i, tls: true, cacheOptions[i])).ToList();
        try
        {
            Assert.Equal(0, await server.ExitCodeAsync(Patience));
            foreach (var client in clients) Assert.Equal(0, await client.ExitCodeAsync(Patience));
            Assert.Contains("no frozen-prefix outputs kept across rounds", clients[1].Output);
            Assert.Contains("frozen-prefix outputs kept across rounds in up to 64 MiB", clients[2].Output);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }

        using var simulation = CliProcess.Start(["simulate", "--clients", "4", "--threads", "1", "--out", deployment.Path("simulation"), .. Training(4, 3)]);
        Assert.Equal(0, await simulation.ExitCodeAsync(Patience));
        Assert.Equal(TestDeployment.Numbers(deployment.Path("simulation", "metrics.jsonl")), TestDeployment.Numbers(Path.Combine(deployment.RunFolder, "metrics.jsonl")));
        var downloads = File.ReadLines(Path.Combine(deployment.RunFolder, "metrics.jsonl")).Skip(1)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("download_bytes").GetInt64()).ToList();
        long modelBytes = SafetensorsReader.Read(Path.Combine(deployment.RunFolder, RunFolder.CheckpointFileName)).Tensors.Values.Sum(t => t.numel() * t.ElementSize);
        Assert.Equal(4 * modelBytes, downloads[0]); // every client receives the whole model once
        Assert.All(downloads.Skip(1), d => Assert.InRange(d, 1, 4 * modelBytes - 1)); // then only what changed
        Assert.Equal(File.ReadAllText(deployment.Path("simulation", "selections.jsonl")), File.ReadAllText(Path.Combine(deployment.RunFolder, "selections.jsonl")));
        Assert.Contains("refused a client", server.Output);
        Assert.Matches(@"round 3/3 · .* · download [\d.]+ [KM]iB · elapsed \d+:\d\d", server.Output);
        Assert.Contains("left: the run is complete", server.Output);
    }

    [Fact]
    public async Task AClientKilledInTheMiddleOfARoundIsLeftOutAndTheRoundCompletes()
    {
        using var deployment = new TestDeployment(4);
        using var server = deployment.Serve(tls: false, [.. Training(4, 2, "top", steps: 150), "--min-clients", "3", "--batch-size", "64"]);
        // client 3 joins first, so it is among the first three the server starts with (--min-clients 3);
        // client 0 brings its own data (here the whole Fashion-MNIST training set, capped by the server's --max-samples-per-client)
        var clients = new List<CliProcess> { deployment.Join(3, tls: false) };
        try
        {
            await clients[0].WaitForAsync("ready with", Patience);
            clients.InsertRange(0, [deployment.Join(0, tls: false, "--dataset", "fashion-mnist"), deployment.Join(1, tls: false), deployment.Join(2, tls: false)]);
            await clients[3].WaitForAsync("round 1: training", Patience);
            clients[3].Kill();
            Assert.Equal(0, await server.ExitCodeAsync(Patience));
            Assert.Equal(0, await clients[0].ExitCodeAsync(Patience));
            Assert.Contains("ready with 200 training samples from its own dataset fashion-mnist", clients[0].Output);
            Assert.Contains("from shard 1 of the server's dataset fashion-mnist", clients[1].Output);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
        AssertClient3FailedOnceInRound1(deployment.RunFolder, trainedInBothRounds: [0, 1, 2]);
    }

    [Fact]
    public async Task AClientProcessThatDiesAndIsStartedAgainRejoinsUnderItsIdAndTrainsAgain()
    {
        using var deployment = new TestDeployment(4);
        // --min-clients 4: the round that loses client 3 fails, and its retry waits until all four are connected again
        using var server = deployment.Serve(tls: false, [.. Training(4, 2, "top", steps: 150), "--min-clients", "4", "--batch-size", "64"]);
        var clients = Enumerable.Range(0, 4).Select(i => deployment.Join(i, tls: false)).ToList();
        try
        {
            await clients[3].WaitForAsync("round 1: training", Patience);
            clients[3].Kill();
            await server.WaitForAsync("waiting for 4 clients to connect (3 connected)", Patience);
            clients.Add(deployment.Join(3, tls: false));
            Assert.Equal(0, await server.ExitCodeAsync(Patience));
            Assert.Equal(0, await clients[4].ExitCodeAsync(Patience));
            Assert.Contains("round 2: training", clients[4].Output);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
        AssertClient3FailedOnceInRound1(deployment.RunFolder, trainedInBothRounds: [0, 1, 2, 3]);
    }

    /// <summary>failures.jsonl holds one failed attempt, client 3's in round 1, and both rounds aggregated exactly these clients.</summary>
    private static void AssertClient3FailedOnceInRound1(string runFolder, int[] trainedInBothRounds)
    {
        var failure = JsonDocument.Parse(File.ReadLines(Path.Combine(runFolder, "failures.jsonl")).Single()).RootElement;
        Assert.Equal(1, failure.GetProperty("round").GetInt32());
        Assert.Equal(3, failure.GetProperty("failed_clients")[0].GetProperty("client").GetInt32());
        var rounds = File.ReadAllLines(Path.Combine(runFolder, "selections.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, rounds.Count);
        Assert.All(rounds, r => Assert.Equal(trainedInBothRounds, r.GetProperty("clients").EnumerateArray().Select(c => c.GetProperty("client").GetInt32())));
    }

    [Fact]
    public async Task ClientsThatBreakTheProtocolAreRefusedAndNothingTheySendReachesTheModel()
    {
        using var deployment = new TestDeployment(4);
        // until the third real client has joined, a round with the cheat has too few successes and is tried again
        using var server = deployment.Serve(tls: false, [.. Training(4, 2, "top"), "--min-clients", "3", "--round-attempts", "100"]);
        await server.WaitForAsync("waiting for", Patience);
        using var model = ServerModel();
        using var initial = ModelState.Capture(model.Model);
        var signature = ModelSignature.Of(initial);

        using (var oldClient = new RawClient(deployment.Port))
        {
            await oldClient.HelloAsync(TestDeployment.Id(3), deployment.Tokens[3], protocolVersion: 99);
            Assert.Contains("protocol version 99", (await oldClient.NextAsync(Patience))!.Reject.Reason);
        }
        using (var otherModel = new RawClient(deployment.Port))
        {
            await otherModel.HelloAsync(TestDeployment.Id(3), deployment.Tokens[3]);
            Assert.NotNull((await otherModel.NextAsync(Patience))!.Welcome);
            await otherModel.ReadyAsync(50, signature.Select(s => s.Name == "head.weight" ? new TensorSpec(s) { Shape = { 7 } } : s));
            Assert.Contains("model mismatch: tensor 'head.weight'", (await otherModel.NextAsync(Patience))!.Reject.Reason);
        }

        // client 3 joins properly, then answers every task with a change to the stem, which no one is ever assigned
        using var cheat = await RawClient.JoinedAsync(deployment.Port, TestDeployment.Id(3), deployment.Tokens[3], signature, Patience);
        var clients = Enumerable.Range(0, 3).Select(i => deployment.Join(i, tls: false)).ToList();
        var stem = model.Model.Groups.Single(g => g.Name == "stem").TensorNames.First();
        int tasks = 0;
        try
        {
            while (await cheat.NextAsync(Patience) is { } message && message.Finish is null)
            {
                if (message.Task is not { } task) continue;
                var weights = new TensorAssembler(signature.ToDictionary(s => s.Name), task.TensorCount);
                while (!weights.Complete) weights.Add((await cheat.NextAsync(Patience))!.Chunk);
                foreach (var tensor in weights.Tensors().Values) tensor.Dispose();
                int expected = model.Model.Groups.Where(g => task.TrainedGroups.Contains(g.Name)).Sum(g => g.TensorNames.Count());
                var result = new FitResult { TaskId = task.TaskId, SampleCount = 50, TrainLoss = 1, TensorCount = expected };
                result.TrainedGroups.AddRange(task.TrainedGroups);
                await cheat.SendAsync(new ClientMessage { FitResult = result });
                using var poison = TorchSharp.torch.full_like(initial[stem], 1000f);
                foreach (var chunk in TensorWire.Chunks(task.TaskId, stem, poison)) await cheat.SendAsync(new ClientMessage { Chunk = chunk });
                tasks++;
            }
            Assert.Equal(0, await server.ExitCodeAsync(Patience));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
        Assert.True(tasks >= 2, $"{tasks} tasks"); // the cheat is sampled in both rounds, and in every retried attempt
        var failures = File.ReadAllLines(Path.Combine(deployment.RunFolder, "failures.jsonl"));
        Assert.Equal(tasks, failures.Length);
        Assert.All(failures, f => Assert.Contains($"tensor '{stem}' was not asked for", f));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(deployment.RunFolder, "metrics.jsonl")).Length);
        var final = SafetensorsReader.Read(Path.Combine(deployment.RunFolder, RunFolder.CheckpointFileName));
        foreach (var name in model.Model.Groups.Single(g => g.Name == "stem").TensorNames)
            Assert.True(TensorAssert.BitwiseEqual(initial[name], final.Tensors[name]), $"{name} changed");
    }

    [Fact]
    public async Task AConnectedClientThatNeverAnswersIsLeftOutAtTheRoundTimeout()
    {
        using var deployment = new TestDeployment(4);
        using var server = deployment.Serve(tls: false, [.. Training(4, 2, "top"), "--min-clients", "3", "--round-timeout", "4"]);
        await server.WaitForAsync("waiting for", Patience);
        using var model = ServerModel();
        using var initial = ModelState.Capture(model.Model);
        // joins properly, then never answers its tasks
        using var staller = await RawClient.JoinedAsync(deployment.Port, TestDeployment.Id(3), deployment.Tokens[3], ModelSignature.Of(initial), Patience);
        var clients = Enumerable.Range(0, 3).Select(i => deployment.Join(i, tls: false)).ToList();
        try
        {
            Assert.Equal(0, await server.ExitCodeAsync(Patience));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
        var failures = File.ReadAllLines(Path.Combine(deployment.RunFolder, "failures.jsonl"));
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Contains("did not answer within the round timeout (4 s)", f));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(deployment.RunFolder, "metrics.jsonl")).Length);
    }

    /// <summary>The model every server of these tests builds (small-cnn on Fashion-MNIST, seed 5), at its starting weights.</summary>
    private FederationSetup ServerModel() => FederationSetup.Build(
        RunConfig.Defaults()
            .With(RunSettings.Model, "small-cnn")
            .With(RunSettings.Clients, 4)
            .With(RunSettings.ClientsPerRound, 4)
            .With(RunSettings.Seed, 5)
            .With(BuiltInPartitioners.MinSamplesPerClient, 1), data.Splits, _ => { });

    [Fact]
    public async Task RunsKilledInTheMiddleResumeToBitwiseTheWeightsOfAnUninterruptedRun()
    {
        using var deployment = new TestDeployment(2);
        string[] training = [.. Training(2, 4, steps: 20)];
        using (var whole = CliProcess.Start(["simulate", "--clients", "2", "--threads", "1", "--out", deployment.Path("whole"), .. training]))
            Assert.Equal(0, await whole.ExitCodeAsync(Patience));
        var expected = deployment.Path("whole", RunFolder.CheckpointFileName);

        string[] simulate = ["simulate", "--clients", "2", "--threads", "1", "--out", deployment.Path("simulation"), .. training];
        using (var killed = CliProcess.Start(simulate))
        {
            await killed.WaitForAsync("round 2/4", Patience);
            killed.Kill();
        }
        using (var resumed = CliProcess.Start("simulate", "--resume", "--threads", "1", "--out", deployment.Path("simulation")))
            Assert.Equal(0, await resumed.ExitCodeAsync(Patience));
        TensorAssert.SameTensorsInFiles(expected, deployment.Path("simulation", RunFolder.CheckpointFileName));

        var clients = Enumerable.Range(0, 2).Select(i => deployment.Join(i, tls: false)).ToList();
        try
        {
            using (var killed = deployment.Serve(tls: false, training))
            {
                await killed.WaitForAsync("round 2/4", Patience);
                killed.Kill();
            }
            using var resumed = deployment.Serve(tls: false, [], "--resume");
            Assert.Equal(0, await resumed.ExitCodeAsync(Patience));
            Assert.Contains("(resuming)", resumed.Output);
            foreach (var client in clients) Assert.Equal(0, await client.ExitCodeAsync(Patience));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
        TensorAssert.SameTensorsInFiles(expected, Path.Combine(deployment.RunFolder, RunFolder.CheckpointFileName));
    }

}
