using FedLayers.Distributed;
using FedLayers.Distributed.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace FedLayers.Tests.Distributed;

/// <summary>A client driven message by message, to send a server what <c>fedlayers join</c> never would.</summary>
internal sealed class RawClient : IDisposable
{
    private readonly GrpcChannel channel;
    private readonly AsyncDuplexStreamingCall<ClientMessage, ServerMessage> call;

    public RawClient(int port)
    {
        channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        call = new FedLayers.Distributed.Protocol.Federation.FederationClient(channel).Session();
    }

    /// <summary>A client that has said Hello and Ready as <c>join</c> would, with <paramref name="samples"/> training samples.</summary>
    public static async Task<RawClient> JoinedAsync(int port, string clientId, string token, IEnumerable<TensorSpec> model, TimeSpan timeout,
        int samples = 50)
    {
        var client = new RawClient(port);
        await client.HelloAsync(clientId, token);
        Assert.NotNull((await client.NextAsync(timeout))!.Welcome);
        await client.ReadyAsync(samples, model);
        return client;
    }

    public Task SendAsync(ClientMessage message) => call.RequestStream.WriteAsync(message);

    public Task HelloAsync(string clientId, string token, int protocolVersion = ProtocolVersion.Current) => SendAsync(new ClientMessage
    {
        Hello = new Hello { ClientId = clientId, Token = token, ProtocolVersion = protocolVersion, FedlayersVersion = "test" },
    });

    public Task ReadyAsync(int samples, IEnumerable<TensorSpec> model)
    {
        var ready = new Ready { SampleCount = samples };
        ready.Model.AddRange(model);
        return SendAsync(new ClientMessage { Ready = ready });
    }

    /// <summary>The server's next message; null when it closed the stream.</summary>
    public async Task<ServerMessage?> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        return await call.ResponseStream.MoveNext(deadline.Token) ? call.ResponseStream.Current : null;
    }

    public void Dispose()
    {
        call.Dispose();
        channel.Dispose();
    }
}
