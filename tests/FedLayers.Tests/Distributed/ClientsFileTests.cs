using FedLayers.Distributed;

namespace FedLayers.Tests.Distributed;

public class ClientsFileTests
{
    private static ClientsFile Parse(params string[] lines)
    {
        using var folder = new TempFolder();
        File.WriteAllLines(folder.Path("clients.txt"), lines);
        return ClientsFile.Read(folder.Path("clients.txt"));
    }

    private static string Rejection(params string[] lines) => Assert.Throws<UserInputException>(() => Parse(lines)).Message;

    [Fact]
    public void SecretsAndHashesBothAuthenticateAndPositionsAreClientIds()
    {
        var secret = ClientsFile.NewSecret();
        var file = Parse("# hospitals", "", "hospital-a " + "a-plain-secret-of-24-chars", ClientsFile.HashLine("hospital-b", secret));
        Assert.Equal(["hospital-a", "hospital-b"], file.Ids);
        Assert.Equal(0, file.Authenticate("hospital-a", "a-plain-secret-of-24-chars"));
        Assert.Equal(1, file.Authenticate("hospital-b", secret));
        Assert.Null(file.Authenticate("hospital-b", secret + "x"));
        Assert.Null(file.Authenticate("hospital-a", secret));
        Assert.Null(file.Authenticate("hospital-c", secret));
    }

    [Fact]
    public void NewSecretsDifferAndAreLongEnough()
    {
        var secrets = Enumerable.Range(0, 20).Select(_ => ClientsFile.NewSecret()).ToList();
        Assert.Equal(20, secrets.Distinct().Count());
        Assert.All(secrets, s => Assert.True(s.Length >= ClientsFile.MinimumSecretLength && !s.Any(char.IsWhiteSpace)));
    }

    [Fact]
    public void EveryMalformedLineIsNamed()
    {
        Assert.Contains("line 2: expected 'ID SECRET' or 'ID sha256:HEX', found 3 field(s)", Rejection("a long-enough-secret-0001", "b x y"));
        Assert.Contains("line 1: expected sha256: followed by 64 hexadecimal digits", Rejection("a sha256:abc"));
        Assert.Contains("line 2: client id 'a' is listed twice", Rejection("a long-enough-secret-0001", "a long-enough-secret-0002"));
        Assert.Contains("line 1: client id 'a/b' must be", Rejection("a/b long-enough-secret-0001"));
        Assert.Contains("line 1: the secret is 5 characters; expected at least 16", Rejection("a short"));
        Assert.Contains("lists no clients", Rejection("# nobody"));
        Assert.Contains("cannot read", Assert.Throws<UserInputException>(() => ClientsFile.Read("/nonexistent/clients.txt")).Message);
    }
}
