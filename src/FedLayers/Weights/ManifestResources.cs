using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace FedLayers.Weights;

/// <summary>
/// Reads manifest resources embedded in a .NET assembly file as bytes, through the file's
/// metadata only: the assembly is never loaded, so none of its code runs.
/// </summary>
public static class ManifestResources
{
    /// <summary>The names of the resources embedded in <paramref name="assemblyPath"/>.</summary>
    public static IReadOnlyList<string> Names(string assemblyPath) =>
        Open(assemblyPath, (pe, metadata) => Embedded(metadata).Select(r => r.Name).ToList());

    /// <summary>The bytes of the embedded resource <paramref name="name"/>.</summary>
    /// <exception cref="UserInputException">the file is missing, not an assembly, or lacks the resource.</exception>
    public static byte[] Read(string assemblyPath, string name) => Open(assemblyPath, (pe, metadata) =>
    {
        var resource = Embedded(metadata).FirstOrDefault(r => r.Name == name);
        if (resource.Name is null)
            throw new UserInputException($"{assemblyPath}: has no embedded resource '{name}'");
        var directory = pe.PEHeaders.CorHeader!.ResourcesDirectory;
        var block = pe.GetSectionData(directory.RelativeVirtualAddress);
        // each embedded resource: a 4-byte little-endian length, then the bytes, at Offset into the resources directory
        if (resource.Offset + 4 > directory.Size || block.Length < directory.Size)
            throw new UserInputException($"{assemblyPath}: resource '{name}' lies outside the file's resource section");
        var reader = block.GetReader(0, directory.Size);
        reader.Offset = (int)resource.Offset;
        int length = reader.ReadInt32();
        if (length < 0 || resource.Offset + 4 + length > directory.Size)
            throw new UserInputException($"{assemblyPath}: resource '{name}' claims {length} bytes, more than the file holds");
        return reader.ReadBytes(length);
    });

    private static T Open<T>(string assemblyPath, Func<PEReader, MetadataReader, T> read)
    {
        if (!File.Exists(assemblyPath)) throw new UserInputException($"{assemblyPath}: assembly file not found");
        try
        {
            using var pe = new PEReader(File.OpenRead(assemblyPath));
            if (!pe.HasMetadata) throw new UserInputException($"{assemblyPath}: not a .NET assembly (no metadata)");
            return read(pe, pe.GetMetadataReader());
        }
        catch (BadImageFormatException e)
        {
            throw new UserInputException($"{assemblyPath}: not a valid .NET assembly ({e.Message})");
        }
    }

    private static IEnumerable<(string Name, long Offset)> Embedded(MetadataReader metadata) =>
        metadata.ManifestResources
            .Select(metadata.GetManifestResource)
            .Where(r => r.Implementation.IsNil) // nil implementation = embedded in this file
            .Select(r => (metadata.GetString(r.Name), r.Offset));
}
