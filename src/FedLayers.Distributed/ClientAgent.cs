using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FedLayers.Distributed.Protocol;
using FedLayers.Federation;
using FedLayers.Setup;
using FedLayers.Validation;
using Grpc.Core;
using Grpc.Net.Client;

namespace FedLayers.Distributed;

/// <summary>How a deployment client reaches its server and what it trains on.</summary>
/// <param name="Server">the server's address, https://HOST:PORT (http:// for a plain-text server).</param>
/// <param name="ClientId">the client's id in the server's clients file.</param>
/// <param name="Token">the client's secret, as the clients file lists it or its hash.</param>
/// <param name="CaCertificate">the certificate (or its CA's) the server's must chain to; null: the system's trusted roots.</param>
/// <param name="Dataset">the client's own dataset; null: the server's, taking the shard at this client's position.</param>
/// <param name="Device">where the client computes: cpu, cuda or cuda:N.</param>
/// <param name="RetryFor">how long the client keeps trying to reach the server before it gives up.</param>
/// <param name="Registries">where the names in the server's configuration are looked up.</param>
/// <param name="PrefixCacheMb">MiB this machine keeps frozen-prefix outputs in from round to round (0: none; results are the same
/// either way); null: the server's configuration's.</param>
public sealed record JoinOptions(Uri Server, string ClientId, string Token, X509Certificate2? CaCertificate, string? Dataset, string Device,
    TimeSpan RetryFor, Registries Registries, int? PrefixCacheMb = null)
{
    /// <summary>MiB for this machine's kept frozen-prefix outputs, at least 0; null: the server's configuration's.</summary>
    public int? PrefixCacheMb { get; init; } = PrefixCacheMb is { } mb ? FieldCheck.AtLeast(mb, 0, nameof(PrefixCacheMb)) : null;
}

/// <summary>
/// A client process: connects to the server (retrying with backoff while it cannot), says who it is,
/// builds its model and data from the server's configuration, and then runs the tasks the server
/// sends until it says Finish. A lost connection is retried the same way; the server takes the client
/// back under its id.
/// </summary>
/// <param name="options">the server, the client's credentials and its data.</param>
/// <param name="log">receives progress lines (connections, tasks, retries).</param>
public sealed class ClientAgent(JoinOptions options, Action<string> log) : IDisposable
{
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(15);
    private ClientWork? work;

    /// <summary>Returns when the server has finished the run.</summary>
    /// <exception cref="UserInputException">the server refused the client, cannot be trusted, or could not be reached in time.</exception>
    public async Task RunAsync(CancellationToken cancellation)
    {
        using var channel = GrpcChannel.ForAddress(options.Server, new GrpcChannelOptions
        {
            HttpHandler = Handler(),
            MaxReceiveMessageSize = 4 * TensorWire.ChunkBytes,
            MaxSendMessageSize = 4 * TensorWire.ChunkBytes,
        });
        var client = new Protocol.Federation.FederationClient(channel);
        var giveUpAt = DateTime.UtcNow + options.RetryFor;
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            bool joined = false;
            try
            {
                await SessionAsync(client, () => joined = true, cancellation);
                return;
            }
            catch (Exception e) when (IsConnectionProblem(e) && !cancellation.IsCancellationRequested)
            {
                if (Untrusted(e) is { } why)
                    throw new UserInputException($"{options.Server}: the server's certificate is not trusted ({why}); give the CA certificate that signed it", nameof(JoinOptions.CaCertificate));
                if (joined) (giveUpAt, backoff) = (DateTime.UtcNow + options.RetryFor, TimeSpan.FromSeconds(1));
                if (DateTime.UtcNow + backoff > giveUpAt)
                    throw new UserInputException($"{options.Server}: cannot reach the server ({Reason(e)}); gave up after trying for {options.RetryFor.TotalSeconds:0} s", nameof(JoinOptions.Server));
                log($"{(joined ? "lost the server" : "cannot reach the server")} ({Reason(e)}); trying again in {backoff.TotalSeconds:0} s");
                await Task.Delay(backoff, cancellation);
                backoff = TimeSpan.FromTicks(Math.Min(LongestBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    private async Task SessionAsync(Protocol.Federation.FederationClient client, Action joined, CancellationToken cancellation)
    {
        using var call = client.Session(cancellationToken: cancellation);
        await call.RequestStream.WriteAsync(new ClientMessage
        {
            Hello = new Hello { ClientId = options.ClientId, Token = options.Token, ProtocolVersion = ProtocolVersion.Current, FedlayersVersion = ProtocolVersion.FedLayers },
        });
        var welcome = (await NextAsync(call, cancellation)).Welcome ?? throw new IOException("the server did not answer Hello with Welcome");
        joined();
        if (work is not null && (work.ConfigJson != welcome.ConfigJson || work.Index != welcome.ClientIndex))
        {
            work.Dispose();
            work = null;
        }
        if (work is null)
        {
            log($"joined as client #{welcome.ClientIndex} of {welcome.ClientCount} (server FedLayers {welcome.FedlayersVersion}); loading data and model");
            work = ClientWork.Build(welcome, options.Dataset, options.Device, options.Registries, message => log($"warning: {message}"),
                options.PrefixCacheMb);
        }
        var ready = new Ready { SampleCount = work.SampleCount };
        ready.Model.AddRange(work.Signature);
        await call.RequestStream.WriteAsync(new ClientMessage { Ready = ready });
        log($"ready with {work.SampleCount} training samples from {work.DataSource}; " +
            (work.PrefixCacheBytes > 0 ? $"frozen-prefix outputs kept across rounds in up to {work.PrefixCacheBytes >> 20} MiB" : "no frozen-prefix outputs kept across rounds"));
        while (true)
        {
            var message = await NextAsync(call, cancellation);
            switch (message.BodyCase)
            {
                case ServerMessage.BodyOneofCase.Finish:
                    log($"the server finished: {message.Finish.Reason}");
                    try
                    {
                        await call.RequestStream.CompleteAsync();
                    }
                    catch (Exception e) when (IsConnectionProblem(e))
                    {
                        // the server may close first: the run is over either way, nothing to reconnect for
                    }
                    return;
                case ServerMessage.BodyOneofCase.Task:
                    await RunTaskAsync(call, message.Task, work, cancellation);
                    break;
                default:
                    throw new UserInputException($"{options.Server}: the server sent {message.BodyCase} where a task or Finish was expected", nameof(JoinOptions.Server));
            }
        }
    }

    private async Task RunTaskAsync(AsyncDuplexStreamingCall<ClientMessage, ServerMessage> call, TrainingTask task, ClientWork work,
        CancellationToken cancellation)
    {
        var global = new TensorAssembler(work.WireSpecs, task.TensorCount);
        while (!global.Complete)
        {
            var message = await NextAsync(call, cancellation);
            if (message.Chunk is not { } chunk || chunk.TaskId != task.TaskId)
                throw new UserInputException($"{options.Server}: the server sent {message.BodyCase} in the middle of task {task.TaskId}'s weights", nameof(JoinOptions.Server));
            try
            {
                global.Add(chunk);
            }
            catch (ProtocolException e)
            {
                throw new UserInputException($"{options.Server}: the server sent a bad tensor: {e.Message}", nameof(JoinOptions.Server));
            }
        }
        // copy_ converts what travelled in a half format back to the model's float32
        foreach (var (name, tensor) in global.Tensors())
            using (tensor) work.Global[name].copy_(tensor);

        ClientMessage[] answer;
        try
        {
            answer = task.Kind == TrainingTask.Types.Kind.Probe ? [ProbeAnswer(task, work)] : FitAnswer(task, work);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log($"round {task.Round}: task failed: {e.Message}");
            answer = [new ClientMessage { TaskFailed = new TaskFailed { TaskId = task.TaskId, Reason = e.Message } }];
        }
        foreach (var message in answer) await call.RequestStream.WriteAsync(message, cancellation);
    }

    private static ClientMessage ProbeAnswer(TrainingTask task, ClientWork work)
    {
        var probe = work.Probe(task.Round, task.ProbeBatches);
        var result = new ProbeResult { TaskId = task.TaskId, Batches = probe.Batches };
        result.SquaredGradNorm.AddRange(probe.SquaredGradNorm);
        result.MeanGradSquaredNorm.AddRange(probe.MeanGradSquaredNorm);
        result.RelativeGradNorm.AddRange(probe.RelativeGradNorm);
        result.SignalToNoise.AddRange(probe.SignalToNoise);
        return new ClientMessage { ProbeResult = result };
    }

    private ClientMessage[] FitAnswer(TrainingTask task, ClientWork work)
    {
        log($"round {task.Round}: training {string.Join(", ", task.TrainedGroups)}");
        using var update = work.Fit(task.Round, [.. task.TrainedGroups]);
        var result = new FitResult
        {
            TaskId = task.TaskId, SampleCount = update.SampleCount, TrainLoss = update.TrainLoss, TrainingFlops = update.TrainingFlops,
            TensorCount = update.Deltas.Count,
        };
        result.TrainedGroups.AddRange(update.TrainedGroups);
        var chunks = new List<ClientMessage>();
        long bytes = 0;
        foreach (var (name, delta) in update.Deltas)
        {
            // a tensor that travels in its own type is sent as it is, not copied first
            using var converted = work.Transfer.Converted(delta);
            var onWire = converted ?? delta;
            bytes += onWire.numel() * onWire.ElementSize;
            chunks.AddRange(TensorWire.Chunks(task.TaskId, name, onWire).Select(c => new ClientMessage { Chunk = c }));
        }
        log($"round {task.Round}: sending {bytes} bytes of updates (train loss {update.TrainLoss:F4})");
        return [new ClientMessage { FitResult = result }, .. chunks];
    }

    private async Task<ServerMessage> NextAsync(AsyncDuplexStreamingCall<ClientMessage, ServerMessage> call, CancellationToken cancellation)
    {
        if (!await call.ResponseStream.MoveNext(cancellation)) throw new IOException("the server closed the connection");
        var message = call.ResponseStream.Current;
        if (message.Reject is { } reject) throw new UserInputException($"the server refused this client: {reject.Reason}");
        return message;
    }

    private SocketsHttpHandler Handler()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = true,
        };
        if (options.CaCertificate is { } ca)
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(ca, certificate, errors);
        return handler;
    }

    /// <summary>The server's certificate must name the host it was reached at and chain to <paramref name="ca"/>.</summary>
    private static bool ChainsTo(X509Certificate2 ca, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    }

    private static bool IsConnectionProblem(Exception e) => e is IOException or HttpRequestException
        || (e is RpcException rpc && rpc.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled);

    private static string? Untrusted(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner is RpcException rpc ? rpc.Status.DebugException : inner.InnerException)
            if (inner is AuthenticationException authentication) return authentication.Message.TrimEnd('.');
        return null;
    }

    private static string Reason(Exception e) => e is RpcException rpc ? rpc.Status.Detail : e.Message.TrimEnd('.');

    /// <summary>Frees the model, data and weights the client built.</summary>
    public void Dispose() => work?.Dispose();
}
