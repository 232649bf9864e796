namespace FedLayers.Data;

/// <summary>The data cache folder: <c>$FEDLAYERS_DATA</c>, else ~/.cache/fedlayers (the bootstrap fills it too).</summary>
public static class DataCache
{
    /// <summary>The folder's path, read from the environment on every call; the folder need not exist.</summary>
    public static string Folder
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("FEDLAYERS_DATA");
            return string.IsNullOrEmpty(cache)
                ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "fedlayers")
                : cache;
        }
    }
}
