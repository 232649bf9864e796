namespace FedLayers.Tests.Cli;

/// <summary><c>simulate --resume</c> from the command line, and the inputs it refuses with exit code 2.</summary>
public class SimulateResumeTests
{
    private static readonly string[] QuickRun =
        ["simulate", "--model", "small-cnn", "--strategy", "top", "--clients", "4", "--clients-per-round", "2", "--rounds", "1",
         "--local-steps", "2", "--max-samples-per-client", "40", "--eval-samples", "200"];

    private static void AssertUserError((int ExitCode, string Output, string Error) result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void ResumeContinuesARunForMoreRounds()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliRunner.Run([.. QuickRun, "--out", folder.Path("run")]).ExitCode);
        var (code, output, _) = CliRunner.Run("simulate", "--resume", "--out", folder.Path("run"), "--rounds", "2");
        Assert.Equal(0, code);
        Assert.Contains("(resuming)", output);
        Assert.Matches(@"round 2/2 · test accuracy [\d.]+ % · .* · elapsed \d+:\d\d · left \d+:\d\d", output);
        Assert.Equal(3, File.ReadAllLines(folder.Path("run", "metrics.jsonl")).Length);
    }

    [Fact]
    public void ResumeNeedsTheFolderOfARun()
    {
        using var folder = new TempFolder();
        AssertUserError(CliRunner.Run("simulate", "--resume"), "--resume: needs --out");
        AssertUserError(CliRunner.Run("simulate", "--resume", "--out", folder.Path("nothing")), "config.json' does not exist");
        AssertUserError(CliRunner.Run("simulate", "--resume", "--out", folder.Root, "--config", "x.json"), "--config: not used with --resume");
    }

    [Fact]
    public void ADamagedCheckpointIsNamedAndNothingWrittenIsLost()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliRunner.Run([.. QuickRun, "--out", folder.Path("run")]).ExitCode);
        var checkpoint = folder.Path("run", "checkpoint.safetensors");
        var metrics = File.ReadAllText(folder.Path("run", "metrics.jsonl"));
        var bytes = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, bytes[..(bytes.Length / 2)]);
        AssertUserError(CliRunner.Run("simulate", "--resume", "--out", folder.Path("run"), "--rounds", "2"), "checkpoint.safetensors");
        Assert.Equal(metrics, File.ReadAllText(folder.Path("run", "metrics.jsonl")));

        File.Delete(checkpoint);
        AssertUserError(CliRunner.Run("simulate", "--resume", "--out", folder.Path("run"), "--rounds", "2"), "no checkpoint");
        AssertUserError(CliRunner.Run("simulate", "--resume", "--out", folder.Path("run"), "--seed", "7"), "--seed 7 differs");
    }
}
