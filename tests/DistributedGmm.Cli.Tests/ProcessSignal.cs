using System.Diagnostics;
using System.Globalization;

namespace DistributedGmm.Cli.Tests;

/// <summary>
/// Sends a Unix signal to a child process, but never to one that has already exited: once .NET has reaped it, its
/// process id is free, and on a machine that creates processes and threads by the thousand (a small pid_max wraps
/// within minutes) it may name a thread of this test host, which would then receive the signal itself.
/// </summary>
internal static class ProcessSignal
{
    public static void Send(Process process, string signal)
    {
        if (process.HasExited) return;
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
