namespace FedLayers.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("fedlayers: commands are being built");
        return 2;
    }
}
