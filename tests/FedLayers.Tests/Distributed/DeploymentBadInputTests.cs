using System.Net;
using System.Net.Sockets;
using FedLayers.Distributed;
using FedLayers.Tests.Cli;

namespace FedLayers.Tests.Distributed;

/// <summary>serve, join and token refuse bad input with one message naming the option or file, and exit code 2.</summary>
public class DeploymentBadInputTests
{
    private static void AssertRejected((int ExitCode, string Output, string Error) result, params string[] expected)
    {
        Assert.Equal(2, result.ExitCode);
        foreach (var text in expected) Assert.Contains(text, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    private static string[] Serve(TestDeployment deployment, params string[] extra) =>
        ["serve", "--listen", $"127.0.0.1:{deployment.Port}", "--clients-file", deployment.ClientsFile, "--out", deployment.RunFolder,
         "--model", "small-cnn", .. extra];

    [Fact]
    public void UnreadableCertificatesAndKeysAreNamed()
    {
        using var deployment = new TestDeployment(2);
        AssertRejected(CliRunner.Run(Serve(deployment, "--tls-cert", deployment.Path("none.pem"), "--tls-key", deployment.Path("none.key"))),
            "--tls-cert: file", "none.pem", "does not exist");
        File.WriteAllText(deployment.CertificateFile, "not a certificate");
        File.WriteAllText(deployment.KeyFile, "not a key");
        AssertRejected(CliRunner.Run(Serve(deployment, "--tls-cert", deployment.CertificateFile, "--tls-key", deployment.KeyFile)),
            "--tls-cert", "expected a PEM certificate and its PEM private key");
        AssertRejected(CliRunner.Run(Serve(deployment)), "--tls-cert and --tls-key: both are needed");
        AssertRejected(CliRunner.Run(Serve(deployment, "--insecure", "--tls-cert", deployment.CertificateFile)), "--insecure: not used with --tls-cert");
        Assert.False(Directory.Exists(deployment.RunFolder));
    }

    [Fact]
    public void AMalformedClientsFileIsNamedWithItsLine()
    {
        using var deployment = new TestDeployment(2);
        File.AppendAllText(deployment.ClientsFile, "client-9 sha256:123\n");
        AssertRejected(CliRunner.Run(Serve(deployment, "--insecure")), "--clients-file", "line 3", "64 hexadecimal digits");
        AssertRejected(CliRunner.Run(["serve", "--listen", "127.0.0.1:1", "--insecure", "--clients-file", deployment.Path("missing.txt")]), "--clients-file", "missing.txt");
    }

    [Fact]
    public void APortInUseIsNamed()
    {
        using var deployment = new TestDeployment(2);
        var taken = new TcpListener(IPAddress.Loopback, deployment.Port);
        taken.Start();
        try
        {
            AssertRejected(CliRunner.Run(Serve(deployment, "--insecure", "--max-samples-per-client", "50", "--clients-per-round", "2")), $"--listen: 127.0.0.1:{deployment.Port}: cannot listen there");
        }
        finally
        {
            taken.Stop();
        }
        AssertRejected(CliRunner.Run(["serve", "--listen", "somewhere", "--insecure", "--clients-file", deployment.ClientsFile]), "--listen: 'somewhere' is not HOST:PORT");
        AssertRejected(CliRunner.Run(["serve", "--listen", "example.org:7443", "--insecure", "--clients-file", deployment.ClientsFile]), "is not an IP address or localhost");
        AssertRejected(CliRunner.Run(Serve(deployment, "--insecure", "--clients", "5")), "--clients: 5, but --clients-file lists 2 clients");
    }

    [Fact]
    public void AnUnreachableServerIsRetriedAndThenNamed()
    {
        int port = CliProcess.FreePort();
        var result = CliRunner.Run("join", "--server", $"http://127.0.0.1:{port}", "--insecure", "--client-id", "a", "--token", "some-token-of-enough-length",
            "--retry-seconds", "2");
        AssertRejected(result, $"--server: http://127.0.0.1:{port}/: cannot reach the server", "gave up after trying for 2 s");
        Assert.Contains("trying again in 1 s", result.Output);
    }

    [Fact]
    public void JoinOptionsThatDoNotFitAreNamed()
    {
        using var deployment = new TestDeployment(1);
        string[] who = ["--client-id", "a", "--token", "some-token-of-enough-length"];
        AssertRejected(CliRunner.Run(["join", "--server", "http://127.0.0.1:7443", .. who]), "--server", "is plain text");
        AssertRejected(CliRunner.Run(["join", "--server", "https://127.0.0.1:7443", "--insecure", .. who]), "--insecure: the address");
        AssertRejected(CliRunner.Run(["join", "--server", "not a url", .. who]), "--server: 'not a url' is not an address");
        AssertRejected(CliRunner.Run(["join", "--server", "https://127.0.0.1:7443", "--ca-cert", deployment.Path("ca.pem"), .. who]), "--ca-cert: file");
        File.WriteAllText(deployment.Path("ca.pem"), "garbage");
        AssertRejected(CliRunner.Run(["join", "--server", "https://127.0.0.1:7443", "--ca-cert", deployment.Path("ca.pem"), .. who]), "--ca-cert", "expected a PEM certificate");
        AssertRejected(CliRunner.Run("join", "--server", "https://127.0.0.1:7443", "--client-id", "a"), "--token: needed");
        AssertRejected(CliRunner.Run(["join", "--server", "https://127.0.0.1:7443", "--prefix-cache-mb", "-1", .. who]), "--prefix-cache-mb");
    }

    [Fact]
    public void TokenPrintsASecretAndTheLineThatAcceptsIt()
    {
        var (code, output, _) = CliRunner.Run("token", "--client-id", "bank-3");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(2, lines.Count);
        using var folder = new TempFolder();
        File.WriteAllText(folder.Path("clients.txt"), lines[1]);
        Assert.Equal(0, ClientsFile.Read(folder.Path("clients.txt")).Authenticate("bank-3", lines[0]));
        Assert.DoesNotContain(lines[0], lines[1]);
        AssertRejected(CliRunner.Run("token", "--client-id", "bank 3"), "--client-id: 'bank 3'");
    }
}
