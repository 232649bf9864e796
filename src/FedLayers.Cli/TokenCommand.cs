using System.CommandLine;
using FedLayers.Distributed;

namespace FedLayers.Cli;

/// <summary><c>fedlayers token</c>: a new client secret, and the clients-file line that accepts it without storing it.</summary>
public static class TokenCommand
{
    public static Command Create(TextWriter output)
    {
        var clientId = new Option<string>("--client-id") { Description = "The client's name in the clients file (letters, digits, '.', '_', '-').", Required = true };
        var command = new Command("token", "Print a new client token and the line for the server's --clients-file.") { clientId };
        command.SetAction(parse =>
        {
            var id = parse.GetValue(clientId)!;
            if (!ClientsFile.IsValidId(id))
                throw new UserInputException($"--client-id: '{id}' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            var secret = ClientsFile.NewSecret();
            output.WriteLine($"# token for client {id}: give it to that client only (join --token, or FEDLAYERS_TOKEN); it is not stored anywhere");
            output.WriteLine(secret);
            output.WriteLine("# line for the server's --clients-file:");
            output.WriteLine(ClientsFile.HashLine(id, secret));
            return 0;
        });
        return command;
    }
}
