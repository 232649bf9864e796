namespace FedLayers.Tests;

/// <summary>Points the data cache ($FEDLAYERS_DATA) at a fresh temporary folder until disposed,
/// so a test sees exactly the cache entries it made. Tests run one at a time (AssemblyInfo.cs).</summary>
internal sealed class TempDataCache : IDisposable
{
    private const string Variable = "FEDLAYERS_DATA";
    private readonly string? _previous = Environment.GetEnvironmentVariable(Variable);
    private readonly TempFolder _folder = new();

    public TempDataCache() => Environment.SetEnvironmentVariable(Variable, _folder.Root);

    public string Path(params string[] parts) => _folder.Path(parts);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(Variable, _previous);
        _folder.Dispose();
    }
}
