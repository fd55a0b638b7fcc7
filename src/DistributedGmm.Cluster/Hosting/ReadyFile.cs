namespace DistributedGmm.Cluster.Hosting;

/// <summary>The health-check file of a worker node (<c>--ready-file</c>): written once Up, removed on leaving.</summary>
public static class ReadyFile
{
    /// <summary>Fails at start, not after the node is Up, when the file can never be written.</summary>
    public static void EnsureWritable(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? full;
        if (Directory.Exists(full)) throw new ArgumentException($"--ready-file {path}: is a folder");
        if (!Directory.Exists(folder)) throw new ArgumentException($"--ready-file {path}: folder {folder} does not exist");
        var probe = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.probe");
        try
        {
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--ready-file {path}: cannot write in {folder}: {e.Message}");
        }
    }

    public static void Remove(string? path)
    {
        if (path is null) return;
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The health check then sees a stale file for a moment; nothing else depends on it.
        }
    }
}
