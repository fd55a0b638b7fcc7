using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DistributedGmm.Data.Tests.Support;

namespace DistributedGmm.Data.Tests;

/// <summary>
/// The ports tests hand to child processes: distinct, free, below the kernel's ephemeral range (so that no outgoing
/// connection is given one meanwhile), and claimed so that another process (here util-linux's <c>flock</c>, which
/// takes the same lock) cannot claim them too.
/// </summary>
public sealed class LoopbackPortsTests
{
    [Fact]
    public void Claimed_ports_are_distinct_free_below_the_ephemeral_range_and_locked_against_other_processes()
    {
        var ephemeralLowest = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0], CultureInfo.InvariantCulture);
        var ports = Enumerable.Range(0, 20).Select(_ => LoopbackPorts.Claim()).ToArray();
        Assert.Equal(ports.Length, ports.Distinct().Count());
        foreach (var port in ports)
        {
            Assert.InRange(port, 1024, ephemeralLowest - 1);
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
        var claim = Path.Combine(Path.GetTempPath(), "distributedgmm-test-ports", ports[0].ToString(CultureInfo.InvariantCulture));
        using var other = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--conflict-exit-code", "7", claim, "true"]) { UseShellExecute = false })!;
        other.WaitForExit();
        Assert.Equal(7, other.ExitCode);
    }
}
