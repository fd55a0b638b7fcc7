using DistributedGmm.Cluster.Sources;

namespace DistributedGmm.Cluster.Tests;

public class ReaderPoolTests
{
    private sealed class Reader : IDisposable
    {
        public int Disposals { get; private set; }
        public void Dispose() => Disposals++;
    }

    [Fact]
    public void A_returned_reader_serves_the_next_read_and_concurrent_reads_get_their_own()
    {
        var created = 0;
        using var pool = new ReaderPool<Reader>(() => { created++; return new Reader(); });
        var first = pool.Rent();
        var second = pool.Rent();
        Assert.NotSame(first, second);
        pool.Return(first);
        Assert.Same(first, pool.Rent());
        Assert.Equal(2, created);
    }

    [Fact]
    public void Disposing_the_pool_disposes_idle_readers_once()
    {
        var pool = new ReaderPool<Reader>(() => new Reader());
        var reader = pool.Rent();
        pool.Return(reader);
        pool.Dispose();
        pool.Dispose();
        Assert.Equal(1, reader.Disposals);
    }

    [Fact]
    public void A_reader_still_reading_when_the_pool_is_disposed_is_disposed_as_it_comes_back()
    {
        var pool = new ReaderPool<Reader>(() => new Reader());
        var inFlight = pool.Rent();
        pool.Dispose();
        Assert.Equal(0, inFlight.Disposals);
        pool.Return(inFlight);
        Assert.Equal(1, inFlight.Disposals);
    }
}
