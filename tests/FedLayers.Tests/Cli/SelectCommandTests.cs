using System.Text.Json;

namespace FedLayers.Tests.Cli;

public class SelectCommandTests
{
    private const string Example = """
        {"gradients": [[4, 1, 0.5], [3, 2, 0.1], [0.2, 5, 1]], "budgets": [1, 2, 1], "lambda": 0.1}
        """;

    [Fact]
    public void Solves_a_file_and_prints_the_masks_and_certificate_as_json()
    {
        using var folder = new TempFolder();
        string path = folder.Path("problem.json");
        File.WriteAllText(path, Example);

        var (code, output, error) = CliRunner.Run("select", "--input", path);

        Assert.True(code == 0, error);
        using var result = JsonDocument.Parse(output);
        var root = result.RootElement;
        var masks = root.GetProperty("masks").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        // Client 0 and 1 agree on layer 0; client 1 adds layer 1, which client 2 values most.
        Assert.Equal([[1, 0, 0], [1, 1, 0], [0, 1, 0]], masks);
        // 4 + 3 + 2 + 5 - 0.1 * (2 * 1 + 2 * 1)
        Assert.Equal(13.6, root.GetProperty("objective").GetDouble(), 1e-12);
        Assert.True(root.GetProperty("bound").GetDouble() >= root.GetProperty("objective").GetDouble());
        Assert.InRange(root.GetProperty("gap").GetDouble(), 0, 1e-9);
        Assert.Equal("optimal", root.GetProperty("status").GetString());
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
    }

    [Fact]
    public void Reads_standard_input_for_a_dash_and_respects_costs()
    {
        const string input = """{"gradients": [[1, 1, 3]], "budgets": [2], "costs": [1, 1, 2], "lambda": 0, "timeLimitSeconds": 5}""";

        var (code, output, error) = CliRunner.RunWithInput(input, "select", "--input", "-");

        Assert.True(code == 0, error);
        using var result = JsonDocument.Parse(output);
        var mask = result.RootElement.GetProperty("masks")[0].EnumerateArray().Select(v => v.GetInt32()).ToArray();
        Assert.Equal([0, 0, 1], mask);
        Assert.Equal(3, result.RootElement.GetProperty("objective").GetDouble());
    }

    [Theory]
    [InlineData("""{"gradients": [[1, 2], [3]], "budgets": [1, 1], "lambda": 0}""", "gradients[1]: expected 2 numbers, got 1")]
    [InlineData("""{"gradients": [[1, -2]], "budgets": [1], "lambda": 0}""", "gradients[0][1]: expected a number >= 0, got -2")]
    [InlineData("""{"gradients": [[1, "NaN"]], "budgets": [1], "lambda": 0}""", "gradients[0][1]: expected a number >= 0, got the string \"NaN\"")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [1, 2], "lambda": 0}""", "budgets: expected 1 numbers, got 2")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [-1], "lambda": 0}""", "budgets[0]: expected a number >= 0")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [1], "costs": [1, 0], "lambda": 0}""", "costs[1]: expected a number > 0, got 0")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [1], "costs": [1], "lambda": 0}""", "costs: expected 2 numbers, got 1")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [1]}""", "lambda: missing")]
    [InlineData("""{"budgets": [1], "lambda": 0}""", "gradients: missing")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [1], "lambda": -0.5}""", "lambda: expected a number >= 0")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [1], "lambda": 0, "timeLimitSeconds": 0}""", "timeLimitSeconds: expected a number > 0")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [1], "lamda": 0}""", "lamda: unknown field")]
    [InlineData("""{"gradients": [], "budgets": [], "lambda": 0}""", "gradients: expected at least one client row")]
    [InlineData("""{"gradients": 5, "budgets": [1], "lambda": 0}""", "gradients: expected an array, got 5")]
    [InlineData("""{"gradients": [[1, 2]], "budgets": [1], "lambda": 0""", "invalid JSON")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    public void Bad_input_names_the_field_and_exits_with_2(string input, string expected)
    {
        var (code, output, error) = CliRunner.RunWithInput(input, "select", "--input", "-");

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal("", output);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        using var folder = new TempFolder();
        string path = folder.Path("absent.json");

        var (code, _, error) = CliRunner.Run("select", "--input", path);

        Assert.Equal(2, code);
        Assert.Contains($"--input {path}", error);
    }
}
