using System.Text.Json.Serialization;

namespace FedLayers.Federation;

/// <summary>
/// Everything that defines a simulation run. Property names in kebab case are the command-line
/// option names without the leading dashes, and the keys of a <c>--config</c> JSON file; the
/// resolved config.json of a run is itself a valid <c>--config</c> file.
/// </summary>
public sealed record SimulationConfig
{
    public string Dataset { get; init; } = "fashion-mnist";
    public string Model { get; init; } = "resnet18";
    public string Strategy { get; init; } = "strategic";
    public int Clients { get; init; } = 20;
    public int ClientsPerRound { get; init; } = 5;
    public int Rounds { get; init; } = 10;
    public int LocalEpochs { get; init; } = 1;
    public int? LocalSteps { get; init; } = 10;
    public double Lr { get; init; } = 0.01;
    public int BatchSize { get; init; } = 32;
    public string Partition { get; init; } = "dirichlet";
    public double Alpha { get; init; } = 0.5;
    public int MinSamplesPerClient { get; init; } = 10;
    public int? MaxSamplesPerClient { get; init; }
    public int MinLayers { get; init; } = 1;
    public int MaxLayers { get; init; } = 4;
    public double Lambda { get; init; } = 0.1;
    public int SelectEvery { get; init; } = 1;
    public int ProbeBatches { get; init; } = 5;
    public int? ImageSize { get; init; }
    public int MaxSeqLen { get; init; } = 128;
    public int Seed { get; init; } = 42;
    public string Device { get; init; } = "cpu";
    /// <summary>Intra-op threads of TorchSharp; null: one per core.</summary>
    public int? Threads { get; init; }
    /// <summary>Memory for the frozen-prefix outputs of one client's training, in MiB; null: a quarter of RAM.</summary>
    public int? PrefixCacheMb { get; init; }
    public string? Out { get; init; }

    /// <summary>CP-SAT time limit per strategic selection; a solve that hits it is reported, not hidden.</summary>
    [JsonIgnore]
    public double SolverTimeLimitSeconds => 60;

    /// <summary>Checks every value that does not depend on the model or the data.</summary>
    public void Validate()
    {
        Require(Clients >= 1, "--clients", $"must be at least 1, got {Clients}");
        Require(ClientsPerRound >= 1 && ClientsPerRound <= Clients, "--clients-per-round",
            $"must be between 1 and --clients ({Clients}), got {ClientsPerRound}");
        Require(Rounds >= 1, "--rounds", $"must be at least 1, got {Rounds}");
        Require(LocalEpochs >= 1, "--local-epochs", $"must be at least 1, got {LocalEpochs}");
        Require(LocalSteps is null or >= 1, "--local-steps", $"must be at least 1, got {LocalSteps}");
        Require(Lr > 0 && double.IsFinite(Lr), "--lr", $"must be a positive number, got {Lr}");
        Require(BatchSize >= 1, "--batch-size", $"must be at least 1, got {BatchSize}");
        Require(Alpha > 0 && double.IsFinite(Alpha), "--alpha", $"must be a positive number, got {Alpha}");
        Require(MinSamplesPerClient >= 1, "--min-samples-per-client", $"must be at least 1, got {MinSamplesPerClient}");
        Require(MaxSamplesPerClient is null || MaxSamplesPerClient >= MinSamplesPerClient, "--max-samples-per-client",
            $"must be at least --min-samples-per-client ({MinSamplesPerClient}), got {MaxSamplesPerClient}");
        Require(MinLayers >= 1, "--min-layers", $"must be at least 1, got {MinLayers}");
        Require(MinLayers <= MaxLayers, "--min-layers", $"({MinLayers}) must not exceed --max-layers ({MaxLayers})");
        Require(Lambda >= 0 && double.IsFinite(Lambda), "--lambda", $"must be a number >= 0, got {Lambda}");
        Require(SelectEvery >= 1, "--select-every", $"must be at least 1, got {SelectEvery}");
        Require(ProbeBatches >= 1, "--probe-batches", $"must be at least 1, got {ProbeBatches}");
        Require(MaxSeqLen is >= 8 and <= 512, "--max-seq-len", $"must be between 8 and 512 tokens, got {MaxSeqLen}");
        Require(ImageSize is null or (>= 16 and <= 1024), "--image-size", $"must be between 16 and 1024 pixels, got {ImageSize}");
        Require(Threads is null or >= 1, "--threads", $"must be at least 1, got {Threads}");
        Require(PrefixCacheMb is null or >= 0, "--prefix-cache-mb", $"must be at least 0, got {PrefixCacheMb}");
    }

    /// <summary>Checks the budgets against the model's number of selectable layers.</summary>
    public void ValidateBudgets(int selectableLayers, string model)
    {
        Require(MaxLayers <= selectableLayers, "--max-layers",
            $"must not exceed the {selectableLayers} selectable layers of --model {model}, got {MaxLayers}");
    }

    private static void Require(bool condition, string option, string expectation)
    {
        if (!condition) throw new UserInputException($"{option}: {expectation}");
    }
}
