namespace FedLayers.Data;

/// <summary>Validation shared by the partitioners, phrased for the command-line options it concerns.</summary>
public static class PartitionChecks
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

    /// <summary>The refusal of a partition by domain on data whose samples name no domain.</summary>
    public static UserInputException NoDomains(string partition) => new(
        $"--partition {partition}: this dataset has no domains; expected one whose samples name their domain or source " +
        "(spamassassin, imagefolder, or a textfile with a 'domain' column); use --partition iid or dirichlet");
}
