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

    /// <summary>Evaluate on a seeded random subset of this many test samples instead of the whole test set.</summary>
    public int? EvalSamples { get; init; }
    public string Cost { get; init; } = LayerCosts.Layers;

    /// <summary>Budget range for <c>--cost layers</c>, in whole layers; null means the default.</summary>
    public int? MinLayers { get; init; }
    public int? MaxLayers { get; init; }

    /// <summary>Budget range for <c>--cost params|flops</c>, as fractions of the selectable total cost; null means the default.</summary>
    public double? MinBudget { get; init; }
    public double? MaxBudget { get; init; }

    public double Lambda { get; init; } = 0.1;
    public int SelectEvery { get; init; } = 1;

    /// <summary>A round needs this many clients to succeed, else it is retried; null: every sampled client (--clients-per-round).</summary>
    public int? MinClients { get; init; }

    /// <summary>Seconds a round waits for its clients' probes and updates; late clients are left out. Null: no deadline.</summary>
    public double? RoundTimeout { get; init; }

    /// <summary>How often one round is tried (with a new sample each time) before the run stops.</summary>
    public int RoundAttempts { get; init; } = 5;
    public int ProbeBatches { get; init; } = 5;

    /// <summary>Probe every round to log the theory's selection terms, also for strategies that do not probe.</summary>
    public bool Diagnostics { get; init; }
    public int? ImageSize { get; init; }
    public int MaxSeqLen { get; init; } = 128;
    public int Seed { get; init; } = 42;
    public string Device { get; init; } = "cpu";
    /// <summary>Intra-op threads of TorchSharp; null: one per core.</summary>
    public int? Threads { get; init; }
    /// <summary>Memory for the frozen-prefix outputs of one client's training, in MiB; null: a quarter of RAM.</summary>
    public int? PrefixCacheMb { get; init; }
    public string? Out { get; init; }

    public const int DefaultMinLayers = 1;
    public const int DefaultMaxLayers = 4;
    public const double DefaultMinBudget = 0.1;
    public const double DefaultMaxBudget = 0.4;

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
        ValidateBudgetRange();
        Require(Lambda >= 0 && double.IsFinite(Lambda), "--lambda", $"must be a number >= 0, got {Lambda}");
        Require(SelectEvery >= 1, "--select-every", $"must be at least 1, got {SelectEvery}");
        Require(MinClients is null || (MinClients >= 1 && MinClients <= ClientsPerRound), "--min-clients",
            $"must be between 1 and --clients-per-round ({ClientsPerRound}), got {MinClients}");
        Require(RoundTimeout is null || (RoundTimeout > 0 && double.IsFinite(RoundTimeout.Value)), "--round-timeout",
            $"must be a positive number of seconds, got {RoundTimeout}");
        Require(RoundAttempts >= 1, "--round-attempts", $"must be at least 1, got {RoundAttempts}");
        Require(EvalSamples is null or >= 1, "--eval-samples", $"must be at least 1, got {EvalSamples}");
        Require(ProbeBatches >= 1, "--probe-batches", $"must be at least 1, got {ProbeBatches}");
        Require(MaxSeqLen is >= 8 and <= 512, "--max-seq-len", $"must be between 8 and 512 tokens, got {MaxSeqLen}");
        Require(ImageSize is null or (>= 16 and <= 1024), "--image-size", $"must be between 16 and 1024 pixels, got {ImageSize}");
        Require(Threads is null or >= 1, "--threads", $"must be at least 1, got {Threads}");
        Require(PrefixCacheMb is null or >= 0, "--prefix-cache-mb", $"must be at least 0, got {PrefixCacheMb}");
    }

    /// <summary>
    /// This config with the budget range of its cost unit filled in from the defaults, as
    /// config.json records it; the options of the other unit stay null.
    /// </summary>
    public SimulationConfig WithBudgetDefaults() => Cost == LayerCosts.Layers
        ? this with { MinLayers = MinLayers ?? DefaultMinLayers, MaxLayers = MaxLayers ?? DefaultMaxLayers }
        : this with { MinBudget = MinBudget ?? DefaultMinBudget, MaxBudget = MaxBudget ?? DefaultMaxBudget };

    /// <summary>Checks the budgets against the model's number of selectable layers.</summary>
    public void ValidateBudgets(int selectableLayers, string model)
    {
        var maxLayers = WithBudgetDefaults().MaxLayers;
        Require(Cost != LayerCosts.Layers || maxLayers <= selectableLayers, "--max-layers",
            $"must not exceed the {selectableLayers} selectable layers of --model {model}, got {maxLayers}");
    }

    /// <summary>
    /// Each budget option belongs to one cost unit, and giving it with the other unit is an error
    /// rather than silently ignored: --min-layers/--max-layers count layers, so they go with
    /// --cost layers only; --min-budget/--max-budget are fractions of a summed cost, so they go
    /// with --cost params or flops only.
    /// </summary>
    private void ValidateBudgetRange()
    {
        Require(LayerCosts.Units.Contains(Cost), "--cost", $"unknown cost unit '{Cost}'; expected one of {string.Join(", ", LayerCosts.Units)}");
        var resolved = WithBudgetDefaults();
        if (Cost == LayerCosts.Layers)
        {
            const string useLayers = "is a fraction of the summed cost of --cost params or flops; with --cost layers use --min-layers/--max-layers";
            Require(MinBudget is null, "--min-budget", useLayers);
            Require(MaxBudget is null, "--max-budget", useLayers);
            Require(resolved.MinLayers >= 1, "--min-layers", $"must be at least 1, got {resolved.MinLayers}");
            Require(resolved.MinLayers <= resolved.MaxLayers, "--min-layers",
                $"({resolved.MinLayers}) must not exceed --max-layers ({resolved.MaxLayers})");
            return;
        }
        string useFractions = $"counts layers, which --cost {Cost} does not; use --min-budget/--max-budget (fractions of the selectable total {Cost})";
        Require(MinLayers is null, "--min-layers", useFractions);
        Require(MaxLayers is null, "--max-layers", useFractions);
        foreach (var (option, fraction) in new[] { ("--min-budget", resolved.MinBudget), ("--max-budget", resolved.MaxBudget) })
            Require(fraction is > 0 and <= 1, option, $"must be a fraction in (0, 1] of the selectable total {Cost}, got {fraction}");
        Require(resolved.MinBudget <= resolved.MaxBudget, "--min-budget",
            $"({resolved.MinBudget}) must not exceed --max-budget ({resolved.MaxBudget})");
    }

    private static void Require(bool condition, string option, string expectation)
    {
        if (!condition) throw new UserInputException($"{option}: {expectation}");
    }
}
