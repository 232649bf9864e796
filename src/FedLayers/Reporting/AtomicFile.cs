namespace FedLayers.Reporting;

/// <summary>Writes a file through a temporary sibling and a rename, so readers never see half a file.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/>.tmp, then moves it over <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string contents)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, contents);
        File.Move(temporary, path, overwrite: true);
    }
}
