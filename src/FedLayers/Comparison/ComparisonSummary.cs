using System.Text.Json.Serialization;

namespace FedLayers.Comparison;

/// <summary>What a comparison's results.json and results.md say.</summary>
/// <param name="TargetAccuracy">the accuracy (0..1) "rounds to target" counts to.</param>
/// <param name="EndpointRounds">the rounds the endpoint averages.</param>
/// <param name="Strategies">one result per arm, in the order they ran.</param>
/// <param name="Paired">every arm but the reference against the reference, seed by seed, in the same order.</param>
/// <param name="Diagnostics">per arm, what explains its endpoint, in the same order.</param>
/// <param name="Runs">per run, what explains its endpoint.</param>
/// <param name="StrategicArm">the arm whose masks every other's are held against: the reference when it runs strategic, else the first arm running strategic; null without one.</param>
public sealed record ComparisonSummary(double TargetAccuracy, int EndpointRounds, IReadOnlyList<StrategyResult> Strategies,
    IReadOnlyList<PairedDifference> Paired, IReadOnlyList<ArmDiagnostics> Diagnostics, IReadOnlyList<RunDiagnostics> Runs, string? StrategicArm)
{
    /// <summary>Whether some run left rounds unevaluated (an evaluation only every few rounds, <see cref="Federation.ServerOptions.EvalEvery"/>): every accuracy figure then reads the evaluated
    /// rounds only. Written to results.json only when true.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool SkippedEvaluations { get; init; }

    /// <summary>How far above head's endpoint a budgeted arm must lie for the setting to rank strategies at all: one point.</summary>
    public const double HeadFloorMargin = 0.01;

    /// <summary>Whether some budgeted arm (neither full nor head) lies more than <see cref="HeadFloorMargin"/> above head; null when
    /// head is not compared. False means the layers the budgets allow add nothing measurable over the common groups alone, and
    /// this setting cannot rank strategies.</summary>
    public bool? RanksAboveHead => Diagnostics.All(d => d.AboveHead is null) ? null
        : Diagnostics.Where(d => d.Arm is not ("full" or "head")).Any(d => d.AboveHead > HeadFloorMargin);
}
