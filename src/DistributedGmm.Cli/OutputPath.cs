namespace DistributedGmm.Cli;

/// <summary>Checks an output path up front, so a long fit does not end in an error about where to write.</summary>
internal static class OutputPath
{
    public static string File(string? path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option} needs a file name");
        if (Directory.Exists(path)) throw new UsageException($"{option} {path} is a directory; give a file name");
        return path;
    }
}
