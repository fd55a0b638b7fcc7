using System.Collections.Concurrent;

namespace DistributedGmm.Cluster.Sources;

/// <summary>
/// Readers for concurrent reads of one source: each read rents its own (a reader is not thread-safe) and returns it.
/// Disposing the pool disposes the idle readers; one still in a read when that happens is disposed as it comes back
/// (a worker node releases a fit's source while its last reads may still run), never left holding its file open.
/// </summary>
/// <remarks>
/// A queue, not a <see cref="ConcurrentBag{T}"/>: a bag keeps its items in thread-local storage, and a thread's slots
/// of every bag ever made stay linked from the bags still alive until a finalizer runs, so a worker node that lives
/// for many jobs would hold each finished job's readers (and through them its dataset) long after the job.
/// </remarks>
internal sealed class ReaderPool<T>(Func<T> create) : IDisposable where T : class, IDisposable
{
    private readonly ConcurrentQueue<T> _idle = new();
    private volatile bool _disposed;

    public T Rent() => _idle.TryDequeue(out var reader) ? reader : create();

    public void Return(T reader)
    {
        _idle.Enqueue(reader);
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
        while (_idle.TryDequeue(out var reader)) reader.Dispose();
    }
}
