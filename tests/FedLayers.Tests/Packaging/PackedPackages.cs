using System.Diagnostics;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace FedLayers.Tests.Packaging;

/// <summary>
/// The solution's packages, packed once for all the packaging tests from what this test run already built
/// (<c>dotnet pack --no-build</c>), into a temporary folder under a version of their own
/// (0.1.0-test.RANDOM), so that no package of ours can come from anywhere else (a NuGet cache, a feed).
/// The tool package is packed without native libraries: its tests read what makes it a tool, and packing
/// LibTorch would take most of a minute.
/// </summary>
public sealed class PackedPackages : IDisposable
{
    private readonly TempFolder temp = new();

    public PackedPackages()
    {
        Version = "0.1.0-test." + Guid.NewGuid().ToString("N")[..12];
        Feed = temp.Path("feed");
        Run(RepositoryRoot, "pack", Path.Combine(RepositoryRoot, "FedLayers.sln"), "--no-build", "-c", Build("Configuration"), "-o", Feed,
            $"-p:PackageVersion={Version}",
            // no platform is called "none": the tool keeps no native library (Directory.Build.targets)
            "-p:FedLayersNativeRuntime=none",
            // a publish folder of its own, which PackAsTool takes whole: not the one a real pack fills
            $"-p:PublishDir={temp.Path("publish")}/");
    }

    public string Version { get; }

    /// <summary>The folder holding the .nupkg files: a local NuGet feed.</summary>
    public string Feed { get; }

    public string Folder(params string[] parts) => temp.Path(parts);

    public static string RepositoryRoot => Build("RepositoryRoot");

    /// <summary>A property of the build of this test assembly (AssemblyMetadata in FedLayers.Tests.csproj).</summary>
    public static string Build(string name) =>
        typeof(PackedPackages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == $"FedLayers.{name}").Value
        ?? throw new InvalidOperationException($"no value for {name}");

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    /// <summary>The names of every file in the package.</summary>
    public IReadOnlyList<string> Entries(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>A text file of the package.</summary>
    public string Text(string id, string entry)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        using var reader = new StreamReader((zip.GetEntry(entry) ?? throw new InvalidOperationException($"{id} has no {entry}")).Open());
        return reader.ReadToEnd();
    }

    public XDocument Xml(string id, string entry) => XDocument.Parse(Text(id, entry));

    public XDocument Nuspec(string id) => Xml(id, $"{id}.nuspec");

    /// <summary>The package's dependencies: id -> version.</summary>
    public IReadOnlyDictionary<string, string> Dependencies(string id) =>
        Nuspec(id).Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);

    /// <summary>Runs <c>dotnet</c> with <paramref name="args"/> in <paramref name="folder"/> and returns what it
    /// printed; a non-zero exit code throws with that output.</summary>
    public static string Run(string folder, params string[] args) => Run(folder, new Dictionary<string, string>(), args);

    public static string Run(string folder, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd() + error.Result;
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"dotnet {string.Join(' ', args)} (in {folder}) exited with {process.ExitCode}:\n{output}");
    }

    public void Dispose() => temp.Dispose();
}
