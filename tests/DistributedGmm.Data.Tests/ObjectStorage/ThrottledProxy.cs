using System.Net;
using System.Net.Sockets;

namespace DistributedGmm.Data.Tests.ObjectStorage;

/// <summary>
/// A TCP proxy in front of s3rver that relays every byte unchanged, but sends the client's bytes upstream at no
/// more than <c>bytesPerSecond</c> (a slow uplink: uploads crawl, reads do not) and can hold them altogether
/// (<see cref="Pause"/>: a stalled uplink) until <see cref="Resume"/>.
/// </summary>
public sealed class ThrottledProxy : LoopbackProxy
{
    private const int Chunk = 4096;
    private readonly int _upstreamPort;
    private volatile int _bytesPerSecond;
    private volatile bool _paused;
    private long _bytesUp;

    public ThrottledProxy(int upstreamPort, int bytesPerSecond)
    {
        (_upstreamPort, _bytesPerSecond) = (upstreamPort, bytesPerSecond);
        Start();
    }

    /// <summary>Bytes relayed from clients to the server so far (request heads and bodies).</summary>
    public long BytesUp => Interlocked.Read(ref _bytesUp);

    public int BytesPerSecond => _bytesPerSecond;

    public void Pause() => _paused = true;

    /// <summary>Relays again, at the old rate or at <paramref name="bytesPerSecond"/>.</summary>
    public void Resume(int? bytesPerSecond = null)
    {
        if (bytesPerSecond is { } rate) _bytesPerSecond = rate;
        _paused = false;
    }

    protected override async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, Stop.Token);
            var (down, up) = (client.GetStream(), upstream.GetStream());
            await Task.WhenAny(CopyAsync(down, up, throttle: true), CopyAsync(up, down, throttle: false));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A connection closed by either side, or the proxy disposed.
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, bool throttle)
    {
        var buffer = new byte[Chunk];
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, Stop.Token);
                if (n == 0) return;
                while (throttle && _paused) await Task.Delay(20, Stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, n), Stop.Token);
                if (!throttle) continue;
                Interlocked.Add(ref _bytesUp, n);
                await Task.Delay(TimeSpan.FromSeconds((double)n / _bytesPerSecond), Stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side closed: ServeAsync closes the other.
        }
    }
}
