namespace DistributedGmm.Cluster.Workers;

/// <summary>How one shard worker runs: its index (for names and messages), threads, cache budget.</summary>
public sealed record WorkerOptions
{
    public int Index { get; init; }
    public int Parallelism { get; init; } = Environment.ProcessorCount;
    public long CacheBytes { get; init; }

    /// <summary>Shard worker <paramref name="index"/> of <paramref name="workers"/> sharing one process: its threads and its equal share of the cache.</summary>
    public static WorkerOptions OneOf(int index, int workers, int parallelism, long cacheBytes) => new()
    {
        Index = index,
        Parallelism = parallelism,
        CacheBytes = cacheBytes / workers,
    };
}
