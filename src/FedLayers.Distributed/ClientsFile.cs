using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FedLayers.Distributed;

/// <summary>
/// The server's list of clients (given to the server): one client per line, <c>ID SECRET</c> or
/// <c>ID sha256:HEX</c>, where HEX is the SHA-256 of the secret (<c>fedlayers token</c> prints both);
/// blank lines and lines starting with # are skipped. A client's position in the file is its client
/// id in the run. Only the hashes are kept in memory, and tokens are compared in constant time.
/// </summary>
public sealed partial class ClientsFile
{
    /// <summary>The fewest characters a plain secret in the file may have.</summary>
    public const int MinimumSecretLength = 16;
    private const string HashPrefix = "sha256:";
    private readonly byte[][] hashes;

    private ClientsFile(IReadOnlyList<string> ids, byte[][] hashes) => (Ids, this.hashes) = (ids, hashes);

    /// <summary>The clients' names, in file order.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Reads and checks the clients file at <paramref name="path"/>.</summary>
    /// <exception cref="UserInputException">The file cannot be read, lists no client, or has a malformed line, a bad or repeated id, or a short secret.</exception>
    public static ClientsFile Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot read the clients file: {e.Message}");
        }
        var ids = new List<string>();
        var hashes = new List<byte[]>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            string Where() => $"{path} line {i + 1}";
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
                throw new UserInputException($"{Where()}: expected 'ID SECRET' or 'ID sha256:HEX', found {fields.Length} field(s)");
            var (id, secret) = (fields[0], fields[1]);
            if (!IdPattern().IsMatch(id))
                throw new UserInputException($"{Where()}: client id '{id}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            if (ids.Contains(id))
                throw new UserInputException($"{Where()}: client id '{id}' is listed twice (first on an earlier line)");
            ids.Add(id);
            hashes.Add(secret.StartsWith(HashPrefix, StringComparison.Ordinal) ? ParseHash(secret[HashPrefix.Length..], Where) : HashOfSecret(secret, Where));
        }
        if (ids.Count == 0) throw new UserInputException($"{path}: lists no clients; expected one 'ID SECRET' or 'ID sha256:HEX' per line");
        return new ClientsFile(ids, [.. hashes]);
    }

    /// <summary>The client's position in the file if <paramref name="token"/> is its secret, else null. The work
    /// does not depend on where a mismatch is, nor on whether the id exists.</summary>
    public int? Authenticate(string id, string token)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        int index = -1;
        for (int i = 0; i < Ids.Count; i++) if (Ids[i] == id) index = i;
        var expected = index >= 0 ? hashes[index] : new byte[presented.Length];
        bool matches = CryptographicOperations.FixedTimeEquals(presented, expected);
        return index >= 0 && matches ? index : null;
    }

    /// <summary>A new random secret: 32 bytes, base64url without padding.</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The clients-file line that accepts <paramref name="secret"/> for <paramref name="id"/> without storing it.</summary>
    public static string HashLine(string id, string secret) =>
        $"{id} {HashPrefix}{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))}";

    /// <summary>Whether <paramref name="id"/> may be a client id: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    private static byte[] HashOfSecret(string secret, Func<string> where)
    {
        if (secret.Length < MinimumSecretLength)
            throw new UserInputException($"{where()}: the secret is {secret.Length} characters; expected at least {MinimumSecretLength} (fedlayers token makes one)");
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    private static byte[] ParseHash(string hex, Func<string> where)
    {
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
            throw new UserInputException($"{where()}: expected sha256: followed by 64 hexadecimal digits, found {hex.Length} characters");
        return Convert.FromHexString(hex);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();
}
