namespace FedLayers.Tests.Cli;

public class HelpTests
{
    [Theory]
    [InlineData("fedlayers [command] [options]", "--help")]
    [InlineData("fedlayers simulate [options]", "simulate", "--help")]
    [InlineData("fedlayers select [options]", "select", "--help")]
    public void Usage_lines_name_the_command_users_type(string usage, params string[] args)
    {
        var (code, output, _) = CliRunner.Run(args);

        Assert.Equal(0, code);
        Assert.Contains(usage, output);
        Assert.DoesNotContain("FedLayers.Cli", output);
    }

    [Fact]
    public void The_root_help_points_to_the_documentation()
    {
        var (code, output, _) = CliRunner.Run("--help");

        Assert.Equal(0, code);
        Assert.Contains("Documentation: README.md and docs/", output);
        Assert.Contains("docs/OPTIONS.md", output);
    }

    [Fact]
    public void The_version_is_printed()
    {
        var (code, output, _) = CliRunner.Run("--version");

        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Fact]
    public void No_command_is_bad_input_that_points_to_the_help()
    {
        var (code, _, error) = CliRunner.Run();

        Assert.Equal(2, code);
        Assert.Contains("Run 'fedlayers --help'", error);
    }
}
