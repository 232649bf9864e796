using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FedLayers.Distributed;

namespace FedLayers.Cli;

/// <summary>The TLS options of serve and join: a certificate, or plain text only when asked for by name.</summary>
internal static class Transport
{
    private const string PlainTextWarning = "warning: --insecure: plain text, without TLS; anyone on the network can read and change what is sent. Use it for tests on one machine only.";

    public static X509Certificate2? ServerCertificate(string? certificateFile, string? keyFile, bool insecure, TextWriter error)
    {
        if (insecure)
        {
            if (certificateFile is not null || keyFile is not null) throw new UserInputException("--insecure: not used with --tls-cert/--tls-key; choose one");
            error.WriteLine(PlainTextWarning);
            return null;
        }
        if (certificateFile is null || keyFile is null)
            throw new UserInputException("--tls-cert and --tls-key: both are needed (or --insecure for plain text on one machine)");
        return FederationHost.LoadCertificate(certificateFile, keyFile);
    }

    /// <summary>The server address, checked against the transport: https with TLS, http only with --insecure.</summary>
    public static Uri ServerAddress(string server, bool insecure, TextWriter error)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Port <= 0)
            throw new UserInputException($"--server: '{server}' is not an address like https://HOST:PORT");
        if (uri.Scheme == "http" && !insecure)
            throw new UserInputException($"--server: '{server}' is plain text; use https:// (or --insecure on both sides for tests on one machine)");
        if (uri.Scheme == "https" && insecure)
            throw new UserInputException($"--insecure: the address '{server}' is https://; use http:// for plain text");
        if (insecure) error.WriteLine(PlainTextWarning);
        return uri;
    }

    public static X509Certificate2? CaCertificate(string? file)
    {
        if (file is null) return null;
        if (!File.Exists(file)) throw new UserInputException($"--ca-cert: file '{file}' does not exist");
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(file);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"--ca-cert {file}: expected a PEM certificate ({e.Message.TrimEnd('.')})");
        }
    }
}
