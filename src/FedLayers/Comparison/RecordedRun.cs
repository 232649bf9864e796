using System.Text.Json;
using FedLayers.Reporting;

namespace FedLayers.Comparison;

/// <summary>One client of a recorded round, as selections.jsonl has it.</summary>
/// <param name="ClientId">the client's id, the same in every run of a seed.</param>
/// <param name="Budget">its budget in the run's cost unit.</param>
/// <param name="Cost">the summed cost of the selectable groups it trained.</param>
/// <param name="Groups">the groups it trained, common ones included.</param>
public sealed record RecordedClient(int ClientId, double Budget, double Cost, IReadOnlyList<string> Groups);

/// <summary>One round of a finished run as its metrics.jsonl and selections.jsonl recorded it.</summary>
/// <param name="Round">The round, 0 for the evaluation before training.</param>
/// <param name="TestAccuracy">The test accuracy after the round, 0..1; null when the round was not evaluated.</param>
/// <param name="UploadBytes">The bytes the round's clients uploaded.</param>
/// <param name="UnselectedGradientShare">the theory's first selection term, when the round probed (see <see cref="Selection.SelectionDiagnostics"/>).</param>
/// <param name="Disagreement">the theory's second selection term, normalised to [0, 1].</param>
/// <param name="Clients">each trained client's budget and groups; empty for round 0.</param>
public sealed record RecordedRound(
    int Round,
    double? TestAccuracy,
    long UploadBytes,
    double? UnselectedGradientShare,
    double? Disagreement,
    IReadOnlyList<RecordedClient> Clients);

/// <summary>A finished run read back from its run folder (config.json, metrics.jsonl, selections.jsonl, summary.json).</summary>
/// <param name="Strategy">The strategy's name, from summary.json; in a comparison, the arm's name (e.g. strategic@0.1).</param>
/// <param name="Seed">The run's seed, from config.json.</param>
/// <param name="Rounds">Every round from metrics.jsonl, round 0 first.</param>
/// <param name="Summary">summary.json.</param>
public sealed record RecordedRun(string Strategy, int Seed, IReadOnlyList<RecordedRound> Rounds, RunSummary Summary)
{
    /// <summary>The run's mean test accuracy over the evaluated rounds among its last <paramref name="rounds"/> trained rounds (0..1);
    /// the last evaluated round's when none of them was (a run cut short); round 0's alone when none was trained.</summary>
    public double Endpoint(int rounds)
    {
        var window = EvaluatedAmongLast(rounds);
        return window.Count > 0 ? window.Average(r => r.TestAccuracy!.Value) : Rounds.Last(r => r.TestAccuracy is not null).TestAccuracy!.Value;
    }

    /// <summary>The evaluated rounds among the last <paramref name="rounds"/> trained rounds (round 0 when none was trained).</summary>
    public IReadOnlyList<RecordedRound> EvaluatedAmongLast(int rounds) =>
        [.. (Rounds.Count > 1 ? Rounds.Skip(1) : Rounds).TakeLast(rounds).Where(r => r.TestAccuracy is not null)];

    /// <summary>Whether some trained round was not evaluated (an evaluation only every few rounds, <see cref="Federation.ServerOptions.EvalEvery"/>).</summary>
    public bool SkippedEvaluations => Rounds.Any(r => r.TestAccuracy is null);

    /// <summary>Whether <paramref name="folder"/> holds a run that ran to its end (its summary.json is written last).</summary>
    public static bool IsFinished(string folder) => File.Exists(Path.Combine(folder, "summary.json"));

    /// <summary>Reads the finished run in <paramref name="folder"/>.</summary>
    /// <exception cref="UserInputException">summary.json holds null.</exception>
    public static RecordedRun Read(string folder)
    {
        var summary = JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(Path.Combine(folder, "summary.json")), Json.Options)
                      ?? throw new UserInputException($"{folder}/summary.json: expected a run summary, found null");
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "config.json")));
        int seed = config.RootElement.GetProperty("seed").GetInt32();

        var clientsByRound = JsonLines(Path.Combine(folder, "selections.jsonl")).ToDictionary(
            line => line.GetProperty("round").GetInt32(),
            line => (IReadOnlyList<RecordedClient>)line.GetProperty("clients").EnumerateArray()
                .Select(c => new RecordedClient(c.GetProperty("client").GetInt32(), c.GetProperty("budget").GetDouble(), c.GetProperty("cost").GetDouble(),
                    c.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList()))
                .ToList());
        var rounds = JsonLines(Path.Combine(folder, "metrics.jsonl")).Select(line =>
        {
            int round = line.GetProperty("round").GetInt32();
            return new RecordedRound(round, Optional(line, "test_accuracy"), line.GetProperty("upload_bytes").GetInt64(),
                Optional(line, "unselected_gradient_share"), Optional(line, "disagreement"),
                clientsByRound.GetValueOrDefault(round, []));
        }).ToList();
        return new RecordedRun(summary.Strategy, seed, rounds, summary);
    }

    private static double? Optional(JsonElement line, string name) =>
        line.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static IEnumerable<JsonElement> JsonLines(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());
}
