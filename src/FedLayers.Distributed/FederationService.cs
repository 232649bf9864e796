using FedLayers.Distributed.Protocol;
using Grpc.Core;

namespace FedLayers.Distributed;

/// <summary>What the server tells and checks at the start of every session.</summary>
/// <param name="Clients">the clients that may join, with their tokens.</param>
/// <param name="ConfigJson">the run's config.json, from which a client builds its model and (without its own dataset) its data.</param>
/// <param name="Model">every tensor of the server's model: a client's must match.</param>
/// <param name="SelectableLayers">the model's selectable layers, the length of every probe vector.</param>
public sealed record ServerIdentity(ClientsFile Clients, string ConfigJson, IReadOnlyList<TensorSpec> Model, int SelectableLayers);

/// <summary>
/// The gRPC service of <c>fedlayers serve</c>: one <c>Session</c> call per client process. It checks the
/// client's protocol version and token, sends the run's configuration, checks the client's model,
/// and then hands the stream to a <see cref="ClientSession"/> until the client goes away.
/// </summary>
/// <param name="identity">what every client is told and checked against.</param>
/// <param name="clients">where accepted sessions are added.</param>
/// <param name="log">receives a line for every rejected client.</param>
public sealed class FederationService(ServerIdentity identity, ConnectedClients clients, Action<string> log) : Protocol.Federation.FederationBase
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);
    // a client loads its data and builds its model between Welcome and Ready
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(15);

    /// <summary>One client process's session: the handshake, then its messages until it disconnects; a refused client is sent a Reject.</summary>
    public override async Task Session(IAsyncStreamReader<ClientMessage> requests, IServerStreamWriter<ServerMessage> responses, ServerCallContext context)
    {
        var peer = context.Peer;
        var hello = await NextAsync(requests, HelloTimeout, context.CancellationToken);
        if (hello?.BodyCase != ClientMessage.BodyOneofCase.Hello)
        {
            await RejectAsync(responses, peer, "expected Hello as the first message");
            return;
        }
        var who = hello.Hello;
        if (who.ProtocolVersion != ProtocolVersion.Current)
        {
            await RejectAsync(responses, peer, $"the client speaks protocol version {who.ProtocolVersion} (FedLayers {who.FedlayersVersion}), " +
                                               $"this server version {ProtocolVersion.Current} (FedLayers {ProtocolVersion.FedLayers}); run the same FedLayers version on both");
            return;
        }
        if (identity.Clients.Authenticate(who.ClientId, who.Token) is not { } index)
        {
            await RejectAsync(responses, peer, $"client id '{who.ClientId}' or its token is not accepted");
            return;
        }
        await responses.WriteAsync(new ServerMessage
        {
            Welcome = new Welcome
            {
                ClientIndex = index, ClientCount = identity.Clients.Ids.Count, ConfigJson = identity.ConfigJson, FedlayersVersion = ProtocolVersion.FedLayers,
            },
        });
        var ready = await NextAsync(requests, ReadyTimeout, context.CancellationToken);
        if (ready?.BodyCase != ClientMessage.BodyOneofCase.Ready)
        {
            await RejectAsync(responses, peer, $"client {who.ClientId}: expected Ready after Welcome");
            return;
        }
        if (ModelSignature.Mismatch(identity.Model, ready.Ready.Model) is { } mismatch)
        {
            await RejectAsync(responses, peer, $"client {who.ClientId}: model mismatch: {mismatch}");
            return;
        }
        if (ready.Ready.SampleCount is < 1 or > int.MaxValue)
        {
            await RejectAsync(responses, peer, $"client {who.ClientId}: {ready.Ready.SampleCount} training samples; expected at least 1");
            return;
        }
        var session = new ClientSession(index, who.ClientId, (int)ready.Ready.SampleCount, identity.SelectableLayers, responses, clients.CountSent, log);
        clients.Add(session);
        string ending = "disconnected";
        try
        {
            while (await requests.MoveNext(context.CancellationToken))
                session.Receive(requests.Current);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or RpcException)
        {
            ending = $"disconnected ({e.Message})";
        }
        finally
        {
            clients.Remove(session, session.Finished ? "left: the run is complete" : ending);
        }
    }

    private async Task RejectAsync(IServerStreamWriter<ServerMessage> responses, string peer, string reason)
    {
        log($"refused a client at {peer}: {reason}");
        try
        {
            await responses.WriteAsync(new ServerMessage { Reject = new Reject { Reason = reason } });
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or RpcException)
        {
            // the client is gone already
        }
    }

    /// <summary>The next message, or null if none came in time or the stream ended.</summary>
    private static async Task<ClientMessage?> NextAsync(IAsyncStreamReader<ClientMessage> requests, TimeSpan timeout, CancellationToken call)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(call);
        deadline.CancelAfter(timeout);
        try
        {
            return await requests.MoveNext(deadline.Token) ? requests.Current : null;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or RpcException)
        {
            return null;
        }
    }
}
