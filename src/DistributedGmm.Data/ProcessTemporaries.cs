using System.Diagnostics;
using System.Globalization;

namespace DistributedGmm.Data;

/// <summary>
/// A private folder under TMPDIR for this process's temporary files (<c>gmm-temp-{pid}-{random}</c>), made on first
/// use and removed when the process exits normally. A process killed outright (SIGKILL, out of memory) cannot remove
/// it: <see cref="Sweep"/> (run when <c>gmm node</c> starts) removes the folders whose process is gone. Liveness is
/// the folder's lock file, held exclusively (flock) while its process runs: the kernel lets go of it when the process
/// dies, whatever its pid namespace (containers sharing a TMPDIR) and even if its pid was reused since.
/// </summary>
public static class ProcessTemporaries
{
    private const string Prefix = "gmm-temp-";
    private const string LockName = ".lock";
    private static FileStream? _lock;

    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory($"{Prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-").FullName;
        _lock = new FileStream(Path.Combine(folder, LockName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Remove();
        return folder;
    });

    /// <summary>A fresh path in the private folder (the file is not created).</summary>
    public static string NewFile(string extension) => Path.Combine(Folder.Value, $"{Guid.NewGuid():N}{extension}");

    /// <summary>Removes the private folder with whatever is left in it; never throws.</summary>
    public static void Remove()
    {
        if (!Folder.IsValueCreated) return;
        _lock?.Dispose();
        TryDelete(Folder.Value);
    }

    /// <summary>
    /// Removes the private folders under <paramref name="tempRoot"/> (TMPDIR by default) of processes that no longer
    /// run; returns how many. A folder without a lock file (its process is making it, or a file system without
    /// locks) is judged by its pid instead.
    /// </summary>
    public static int Sweep(string? tempRoot = null)
    {
        var removed = 0;
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(tempRoot ?? Path.GetTempPath(), Prefix + "*"))
            {
                var name = Path.GetFileName(folder)[Prefix.Length..];
                var dash = name.IndexOf('-', StringComparison.Ordinal);
                if (dash <= 0 || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
                if (Held(Path.Combine(folder, LockName)) ?? Runs(pid)) continue;
                if (TryDelete(folder)) removed++;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable TMPDIR: nothing to sweep that this process could remove anyway.
        }
        return removed;
    }

    /// <summary>Whether another process holds the lock file; null when there is none.</summary>
    private static bool? Held(string lockFile)
    {
        try
        {
            using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // locked by its live process, or not ours to remove
        }
    }

    private static bool Runs(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
