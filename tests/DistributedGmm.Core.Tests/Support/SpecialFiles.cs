using System.Diagnostics;

namespace DistributedGmm.Core.Tests.Support;

/// <summary>
/// Device nodes and FIFOs made in a test's own folder (with mknod/mkfifo), so that a regression that replaces the
/// target harms a private copy, never the real /dev/null or /dev/full. Device nodes need root (the tests run as root).
/// </summary>
public static class SpecialFiles
{
    /// <summary>A character device with the given numbers: (1, 3) is null, (1, 5) zero, (1, 7) full.</summary>
    public static void MakeCharacterDevice(string path, int major, int minor) => Run("mknod", path, "c", $"{major}", $"{minor}");

    public static void MakeFifo(string path) => Run("mkfifo", path);

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(10)) || process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {error}");
    }
}
