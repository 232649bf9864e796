using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FedLayers.Distributed;

/// <summary>
/// The gRPC server of <c>fedlayers serve</c> on Kestrel: HTTP/2 on one address, with TLS from a PEM
/// certificate and key, or in plain text when asked for explicitly.
/// </summary>
/// <param name="app">the started web application; <see cref="StartAsync"/> makes it.</param>
public sealed class FederationHost(WebApplication app) : IAsyncDisposable
{
    /// <param name="listen">HOST:PORT; HOST is an IP address (0.0.0.0 or [::] for every interface) or localhost.</param>
    /// <summary>Starts serving <paramref name="service"/> on <paramref name="listen"/> and returns once the server accepts connections.</summary>
    /// <param name="certificate">the server's certificate with its key; null only for plain text.</param>
    /// <param name="service">the service every session goes to (one instance for all).</param>
    /// <exception cref="UserInputException"><paramref name="listen"/> is malformed or cannot be listened on.</exception>
    public static async Task<FederationHost> StartAsync(string listen, X509Certificate2? certificate, FederationService service)
    {
        var (address, port) = ParseListen(listen);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // a client that vanished without closing its connection (a machine switched off) is noticed within a minute
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(20);
            kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
            void Endpoint(ListenOptions endpoint)
            {
                endpoint.Protocols = HttpProtocols.Http2;
                if (certificate is not null) endpoint.UseHttps(certificate);
            }
            if (address is null) kestrel.ListenLocalhost(port, Endpoint);
            else kestrel.Listen(address, port, Endpoint);
        });
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = o.MaxSendMessageSize = 4 * TensorWire.ChunkBytes);
        builder.Services.AddSingleton(service);
        var app = builder.Build();
        app.MapGrpcService<FederationService>();
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new UserInputException($"{listen}: cannot listen there ({e.Message.TrimEnd('.')}); is another server using the port?", nameof(listen));
        }
        return new FederationHost(app);
    }

    /// <summary>Reads a PEM certificate and its private key, naming the file that is wrong.</summary>
    public static X509Certificate2 LoadCertificate(string certificateFile, string keyFile)
    {
        foreach (var (field, file) in new[] { (nameof(certificateFile), certificateFile), (nameof(keyFile), keyFile) })
            if (!File.Exists(file)) throw new UserInputException($"file '{file}' does not exist", field);
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{certificateFile} / {keyFile}: expected a PEM certificate and its PEM private key ({e.Message.TrimEnd('.')})", nameof(certificateFile));
        }
    }

    /// <summary>HOST:PORT as an address (null: localhost) and a port.</summary>
    public static (IPAddress? Address, int Port) ParseListen(string listen)
    {
        int colon = listen.LastIndexOf(':');
        var host = colon > 0 ? listen[..colon].Trim('[', ']') : "";
        if (colon <= 0 || !int.TryParse(listen[(colon + 1)..], out int port) || port is < 1 or > 65535)
            throw new UserInputException($"'{listen}' is not HOST:PORT with a port from 1 to 65535 (e.g. 0.0.0.0:7443)", nameof(listen));
        if (host == "localhost") return (null, port);
        if (!IPAddress.TryParse(host, out var address))
            throw new UserInputException($"'{host}' is not an IP address or localhost (use 0.0.0.0 to listen on every interface)", nameof(listen));
        return (address, port);
    }

    /// <summary>Stops the server (waiting at most 5 s for open calls) and frees it.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
