using System.Text.Json;
using FedLayers.Selection.Solver;

namespace FedLayers.Cli;

/// <summary>
/// The input of <c>fedlayers select</c>, read from JSON:
/// <c>{"gradients": [[L numbers] x K], "budgets": [K numbers], "costs": [L numbers] (optional,
/// default all 1), "lambda": number, "timeLimitSeconds": number (optional)}</c>.
/// Every defect is a <see cref="UserInputException"/> naming the field, e.g.
/// <c>gradients[3]: expected 12 numbers, got 11</c>.
/// </summary>
public sealed record SelectionRequest(SelectionProblem Problem, double? TimeLimitSeconds)
{
    private static readonly string[] Fields = ["gradients", "budgets", "costs", "lambda", "timeLimitSeconds"];

    /// <param name="json">the text to read.</param>
    /// <param name="source">where it came from (a path, or "standard input"), for messages.</param>
    public static SelectionRequest Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{source}: invalid JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new UserInputException($"{source}: expected a JSON object with the fields {string.Join(", ", Fields)}");
            foreach (var property in root.EnumerateObject())
                if (!Fields.Contains(property.Name))
                    throw new UserInputException($"{property.Name}: unknown field; expected {string.Join(", ", Fields)}");

            var rows = Array("gradients", Required(root, "gradients"));
            if (rows.Length == 0) throw new UserInputException("gradients: expected at least one client row");
            var firstRow = Array("gradients[0]", rows[0]);
            int layers = firstRow.Length;
            if (layers == 0) throw new UserInputException("gradients[0]: expected at least one layer");
            var gradients = rows.Select((row, i) => (IReadOnlyList<double>)Numbers($"gradients[{i}]", row, layers, n => n >= 0, ">= 0")).ToList();

            var budgets = Numbers("budgets", Required(root, "budgets"), rows.Length, n => n >= 0, ">= 0");
            var costs = root.TryGetProperty("costs", out var givenCosts)
                ? Numbers("costs", givenCosts, layers, n => n > 0, "> 0")
                : Enumerable.Repeat(1.0, layers).ToArray();
            double lambda = Number("lambda", Required(root, "lambda"), n => n >= 0, ">= 0");
            double? timeLimit = root.TryGetProperty("timeLimitSeconds", out var givenLimit)
                ? Number("timeLimitSeconds", givenLimit, n => n > 0, "> 0")
                : null;
            return new SelectionRequest(new SelectionProblem(gradients, budgets, costs, lambda), timeLimit);
        }
    }

    private static JsonElement Required(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) ? value : throw new UserInputException($"{field}: missing (required)");

    private static JsonElement[] Array(string field, JsonElement value) =>
        value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().ToArray()
            : throw new UserInputException($"{field}: expected an array, got {Describe(value)}");

    private static double[] Numbers(string field, JsonElement value, int count, Func<double, bool> valid, string expectation)
    {
        var items = Array(field, value);
        if (items.Length != count) throw new UserInputException($"{field}: expected {count} numbers, got {items.Length}");
        return items.Select((item, k) => Number($"{field}[{k}]", item, valid, expectation)).ToArray();
    }

    /// <summary>A finite number that passes <paramref name="valid"/>; anything else, a string such
    /// as "NaN" included, names the field.</summary>
    private static double Number(string field, JsonElement value, Func<double, bool> valid, string expectation)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
            throw new UserInputException($"{field}: expected a number {expectation}, got {Describe(value)}");
        if (!valid(number)) throw new UserInputException($"{field}: expected a number {expectation}, got {value.GetRawText()}");
        return number;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };
}
