using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace DistributedGmm.Data.Tests.Support;

/// <summary>
/// Loopback ports for the servers and nodes that tests start in other processes. Binding port 0, closing it and
/// handing the number to a child leaves a window in which the kernel may give the same port to any outgoing
/// connection (it draws those from the same ephemeral range) or another test process may pick it too. These ports
/// come from below the ephemeral range, so no outgoing connection takes one, and each is claimed with an exclusive
/// lock on a file named after it, held until the claiming process exits, so no two test processes of this
/// repository hand out the same port.
/// </summary>
internal static class LoopbackPorts
{
    private const int Lowest = 20000;
    private static readonly string ClaimDirectory = Path.Combine(Path.GetTempPath(), "distributedgmm-test-ports");
    private static readonly List<FileStream> Claims = [];
    private static int _next = -1;

    /// <summary>A port free on loopback now that no other test process will be given while this one runs.</summary>
    public static int Claim()
    {
        var highest = Math.Min(EphemeralLowest(), IPEndPoint.MaxPort + 1) - 1;
        if (highest < Lowest) return AnyFree();
        var count = highest - Lowest + 1;
        lock (Claims)
        {
            Directory.CreateDirectory(ClaimDirectory);
            // Each process starts its search at a random place, so that processes rarely try each other's claims.
            if (_next < 0) _next = Random.Shared.Next(count);
            for (var tried = 0; tried < count; tried++)
            {
                var port = Lowest + _next++ % count;
                FileStream claim;
                try
                {
                    // FileShare.None takes an exclusive flock on Unix: another process's claim makes this throw.
                    claim = new FileStream(Path.Combine(ClaimDirectory, port.ToString(CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException)
                {
                    continue;
                }
                if (IsFree(port))
                {
                    Claims.Add(claim);
                    return port;
                }
                claim.Dispose();
            }
        }
        throw new InvalidOperationException($"no loopback port from {Lowest} to {highest} is free and unclaimed");
    }

    /// <summary>The lowest ephemeral port (Linux's setting; elsewhere IANA's range, which macOS and Windows use).</summary>
    private static int EphemeralLowest()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (!File.Exists(range)) return 49152;
        var first = File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
        return int.Parse(first, CultureInfo.InvariantCulture);
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Where the ephemeral range covers every port this class would use: the kernel's pick, as before.</summary>
    private static int AnyFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
