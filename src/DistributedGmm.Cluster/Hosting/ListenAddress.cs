using System.Net;
using System.Net.Sockets;
using Akka.Configuration;

namespace DistributedGmm.Cluster.Hosting;

/// <summary>
/// Checks, before a node's actor system starts, that it can listen at its configured host and port. The transport
/// binds with SO_REUSEADDR, which .NET on Linux pairs with SO_REUSEPORT, so a second node on a busy port would
/// listen beside the first instead of failing. The probe binds with SO_REUSEADDR alone: it passes over
/// connections lingering in TIME_WAIT (a node restarted on its port) but not over a live listener.
/// </summary>
public static class ListenAddress
{
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    public static void EnsureAvailable(Config config)
    {
        var host = config.GetString("akka.remote.dot-netty.tcp.hostname", "");
        var port = config.GetInt("akka.remote.dot-netty.tcp.port", 0);
        if (string.IsNullOrWhiteSpace(host)) return; // the transport picks the machine's own name
        foreach (var address in Resolve(host)) Probe(host, address, port);
    }

    private static IPAddress[] Resolve(string host)
    {
        if (IPAddress.TryParse(host, out var literal)) return [literal];
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            if (addresses.Length > 0) return [addresses[0]];
        }
        catch (SocketException)
        {
        }
        throw new NodeAddressException($"host '{host}' does not resolve to an address of this machine (--host, --bind-host)", portInUse: false);
    }

    private static void Probe(string host, IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (OperatingSystem.IsLinux()) socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(1);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new NodeAddressException($"port {port} on {host} is already in use (another gmm node?); give another --port", portInUse: true);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AccessDenied)
        {
            throw new NodeAddressException($"cannot listen on {host}:{port}: {e.Message} (--host, --bind-host, --port)", portInUse: false);
        }
    }
}
