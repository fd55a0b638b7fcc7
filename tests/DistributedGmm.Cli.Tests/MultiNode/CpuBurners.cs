using System.Diagnostics;

namespace DistributedGmm.Cli.Tests.MultiNode;

/// <summary>One busy loop per core (each bounded by <c>timeout</c>), so the machine is saturated; killed on Dispose.</summary>
internal sealed class CpuBurners : IDisposable
{
    private readonly List<Process> _burners = [];

    public CpuBurners(TimeSpan bound)
    {
        for (var i = 0; i < Environment.ProcessorCount; i++)
            _burners.Add(Process.Start(new ProcessStartInfo("timeout", [$"{(int)bound.TotalSeconds}", "sh", "-c", "while :; do :; done"]) { UseShellExecute = false })!);
    }

    public void Dispose()
    {
        foreach (var burner in _burners)
        {
            try
            {
                if (!burner.HasExited) burner.Kill(entireProcessTree: true);
                burner.WaitForExit(5_000);
            }
            catch (InvalidOperationException)
            {
                // Already reaped.
            }
            burner.Dispose();
        }
    }
}
