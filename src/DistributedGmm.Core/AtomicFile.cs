namespace DistributedGmm.Core;

/// <summary>
/// Writes a file so that readers see either nothing or the whole file: the content goes to a temporary
/// file beside the target, which is renamed over it only once it is complete and flushed.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = TemporaryPathFor(full);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = TemporaryPathFor(full);
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>A hidden name in the target's folder, so the final rename never crosses file systems.</summary>
    public static string TemporaryPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Removes the temporaries an earlier write of <paramref name="fullPath"/> left when its process was killed:
    /// only names <see cref="TemporaryPathFor"/> makes for this target (hidden, the target's name, 32 hex digits,
    /// <c>.tmp</c>), never another file. A write of the same target running at the same time loses its temporary
    /// and fails, as two writers of one output must not both succeed unnoticed. Returns how many were removed.
    /// </summary>
    public static int RemoveStaleTemporaries(string fullPath)
    {
        var directory = Path.GetDirectoryName(fullPath)!;
        if (!Directory.Exists(directory)) return 0;
        var prefix = $".{Path.GetFileName(fullPath)}.";
        var removed = 0;
        foreach (var candidate in Directory.EnumerateFiles(directory, prefix + "*.tmp"))
        {
            var middle = Path.GetFileName(candidate.AsSpan())[prefix.Length..^".tmp".Length];
            if (middle.Length != 32 || !IsLowerHex(middle)) continue;
            if ((File.GetAttributes(candidate) & FileAttributes.ReparsePoint) != 0) continue; // a symlink under our name is not ours
            TryDelete(candidate);
            removed++;
        }
        return removed;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        }
        return true;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
