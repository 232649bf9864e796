using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FedLayers.Distributed;
using FedLayers.Tests.Federation;

namespace FedLayers.Tests.Distributed;

/// <summary>The files of a deployment on 127.0.0.1: a clients file with a token per client, and a self-signed
/// TLS certificate for 127.0.0.1 and localhost that the clients trust through --ca-cert.</summary>
internal sealed class TestDeployment : IDisposable
{
    private readonly TempFolder folder = new();

    public TestDeployment(int clients)
    {
        Tokens = Enumerable.Range(0, clients).Select(_ => FedLayers.Distributed.ClientsFile.NewSecret()).ToList();
        File.WriteAllLines(ClientsFile, Tokens.Select((token, i) => FedLayers.Distributed.ClientsFile.HashLine(Id(i), token)));
        Port = CliProcess.FreePort();
    }

    public IReadOnlyList<string> Tokens { get; }
    public int Port { get; }
    public string ClientsFile => folder.Path("clients.txt");
    public string CertificateFile => folder.Path("server.pem");
    public string KeyFile => folder.Path("server.key");
    public string RunFolder => folder.Path("run");

    public string Path(params string[] parts) => folder.Path(parts);

    public static string Id(int client) => $"client-{client}";

    /// <summary>The lines of a run's metrics.jsonl without what a deployment and its simulation need not share: the times, and the
    /// bytes sent down (only a deployment sends weights over a network).</summary>
    public static List<string> Numbers(string metricsFile) =>
        SimulationTests.WithoutTimes(metricsFile).Select(line => System.Text.RegularExpressions.Regex.Replace(line, ",\"download_bytes\":[^,}]*", "")).ToList();

    /// <summary>Writes the certificate and key files; ECDSA P-256, valid from yesterday to tomorrow.</summary>
    public void MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fedlayers test server", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>serve on this deployment's port, writing <see cref="RunFolder"/>, with the given training options.</summary>
    public CliProcess Serve(bool tls, IEnumerable<string> training, params string[] extra) => CliProcess.Start(
    [
        "serve", "--listen", $"127.0.0.1:{Port}", "--clients-file", ClientsFile, "--out", RunFolder, "--threads", "1",
        .. tls ? new[] { "--tls-cert", CertificateFile, "--tls-key", KeyFile } : ["--insecure"], .. training, .. extra,
    ]);

    public CliProcess Join(int client, bool tls, params string[] extra) => CliProcess.Start(
    [
        "join", "--client-id", Id(client), "--token", Tokens[client], "--threads", "1",
        .. tls ? new[] { "--server", $"https://127.0.0.1:{Port}", "--ca-cert", CertificateFile } : ["--server", $"http://127.0.0.1:{Port}", "--insecure"],
        .. extra,
    ]);

    public void Dispose() => folder.Dispose();
}
