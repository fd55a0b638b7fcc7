using System.Net;
using System.Net.Sockets;

namespace DistributedGmm.Data.Tests.ObjectStorage;

/// <summary>A proxy on a free loopback port that serves each accepted connection (<see cref="ServeAsync"/>) until disposed.</summary>
public abstract class LoopbackProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    /// <summary>Cancelled when the proxy is disposed.</summary>
    protected CancellationTokenSource Stop { get; } = new();

    public string Endpoint => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Starts accepting; a subclass calls it once its own state is set.</summary>
    protected void Start()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    protected abstract Task ServeAsync(TcpClient client);

    private async Task AcceptAsync()
    {
        while (!Stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(Stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    public void Dispose()
    {
        Stop.Cancel();
        _listener.Stop();
        Stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
