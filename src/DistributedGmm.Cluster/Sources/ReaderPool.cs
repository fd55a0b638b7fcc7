using System.Collections.Concurrent;

namespace DistributedGmm.Cluster.Sources;

/// <summary>
/// Readers for concurrent reads of one source: each read rents its own (a reader is not thread-safe) and returns it.
/// Disposing the pool disposes the idle readers; one still in a read when that happens is disposed as it comes back
/// (a worker node releases a fit's source while its last reads may still run), never left holding its file open.
/// </summary>
internal sealed class ReaderPool<T>(Func<T> create) : IDisposable where T : class, IDisposable
{
    private readonly ConcurrentBag<T> _idle = [];
    private volatile bool _disposed;

    public T Rent() => _idle.TryTake(out var reader) ? reader : create();

    public void Return(T reader)
    {
        _idle.Add(reader);
        // Added before the flag is read: either Dispose's drain still finds it, or this one drains it.
        if (_disposed) DisposeIdle();
    }

    public void Dispose()
    {
        _disposed = true;
        DisposeIdle();
    }

    private void DisposeIdle()
    {
        while (_idle.TryTake(out var reader)) reader.Dispose();
    }
}
