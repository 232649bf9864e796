namespace FedLayers.Data;

/// <summary>Validation shared by the partitioners; a refusal of the client count names the parameter <c>clients</c>.</summary>
public static class PartitionChecks
{
    /// <summary>Refuses a client count that is not positive or that leaves some client fewer than <paramref name="minSamplesPerClient"/> of <paramref name="sampleCount"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clients"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException">Too many clients for the samples.</exception>
    public static void RequireClients(int clients, int sampleCount, int minSamplesPerClient)
    {
        if (clients <= 0)
            throw new ArgumentOutOfRangeException(nameof(clients), $"expected a positive number of clients, found {clients}");
        if ((long)clients * minSamplesPerClient > sampleCount)
            throw new ArgumentException(
                $"expected at most {sampleCount / minSamplesPerClient} clients, got {clients}: the training set has " +
                $"{sampleCount} samples and every client needs at least {minSamplesPerClient}; use fewer clients", nameof(clients));
    }

    /// <summary>The refusal of a partition by domain on data whose samples name no domain.</summary>
    public static UserInputException NoDomains(string partition) => new($"partition {partition}: {NoDomainsReason}");

    /// <summary>Why a partition by domain refuses data whose samples name no domain.</summary>
    public const string NoDomainsReason = "this dataset has no domains; expected one whose samples name their domain or source " +
                                          "(spamassassin, imagefolder, or a textfile with a 'domain' column); use the iid or dirichlet partition";
}
