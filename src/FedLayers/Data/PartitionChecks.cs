namespace FedLayers.Data;

/// <summary>Validation shared by the partitioners, phrased for the command-line options it concerns.</summary>
internal static class PartitionChecks
{
    public static void RequireClients(int clientCount, int sampleCount, int minSamplesPerClient)
    {
        if (clientCount <= 0)
            throw new UserInputException($"--clients: expected a positive number of clients, found {clientCount}");
        if ((long)clientCount * minSamplesPerClient > sampleCount)
            throw new UserInputException(
                $"--clients {clientCount}: expected at most {sampleCount / minSamplesPerClient} clients, because the training set has " +
                $"{sampleCount} samples and every client needs at least {minSamplesPerClient}; use fewer --clients");
    }
}
